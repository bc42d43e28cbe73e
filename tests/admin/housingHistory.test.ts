// @vitest-environment jsdom
/**
 * The household page shows its 住房档案 (housing history) as `GET /api/households/:id` returns it:
 * the housing status, then every appraisal and renovation newest first with its date, kind, grade or
 * result, who appraised or what was paid, and a link to the case that recorded it; in English too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { cleanup, render, screen, within } from '@testing-library/react';
import { AdminContext, ResourceContextProvider, testDataProvider, type AuthProvider } from 'react-admin';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import type { HouseholdRecord } from '../../admin/src/api/types';
import { HouseholdShow } from '../../admin/src/households/HouseholdShow';
import { i18nProvider } from '../../admin/src/i18n';

const CASE_1 = 'houseRebuild:H00000001:1';
const CASE_2 = 'houseRebuild:H00000001:2';

/** The detail as the API answers it (server/routes/households.ts, server/housing-history.ts). */
const HOUSEHOLD: HouseholdRecord = {
  id: 'H00000001',
  headName: '张示例',
  idNumber: '50011219580312101X',
  idNumberMasked: false,
  phone: '13800000001',
  town: '统景镇',
  village: '荣光村',
  memberCount: 4,
  status: 'out_of_poverty',
  lowIncomeGroups: [],
  monitoringStatus: 'none',
  monitoringCategory: null,
  riskTypes: [],
  monitoredSince: null,
  monitoringProcessId: null,
  createdAt: '2026-01-05T09:00:00+08:00',
  updatedAt: '2026-09-20T16:00:00+08:00',
  cases: [],
  housingHistory: {
    status: 'safe',
    appraisals: [
      { processId: CASE_1, grade: 'C', appraisedOn: '2021-04-02', appraiser: '重庆渝建房屋安全鉴定所', reportNo: 'YB-2021-033' },
      { processId: CASE_2, grade: 'D', appraisedOn: '2026-03-10', appraiser: '区住房城乡建委 王建国', reportNo: null },
    ],
    renovations: [
      { processId: CASE_1, year: 2021, grade: 'C', method: 'reinforcement', completedOn: '2021-08-30', subsidy: 12000, voucherNo: 'CZ-2021-0107' },
      { processId: CASE_2, year: 2026, grade: 'D', method: 'rebuild', completedOn: '2026-09-20', subsidy: 35000, voucherNo: 'CZ-2026-0042' },
    ],
  },
};

const admin: AuthProvider = {
  login: async () => undefined,
  logout: async () => undefined,
  checkAuth: async () => undefined,
  checkError: async () => undefined,
  getIdentity: async () => ({ id: 'admin', fullName: '管理员', name: '管理员', roles: ['admin'] }),
};

function renderHousehold(household: HouseholdRecord) {
  const dataProvider = testDataProvider({
    getOne: (async () => ({ data: household })) as never,
    getManyReference: (async () => ({ data: [], total: 0 })) as never,
  });
  render(
    createElement(
      MemoryRouter,
      { initialEntries: [`/households/${household.id}/show`] },
      createElement(
        AdminContext,
        { dataProvider, authProvider: admin, i18nProvider },
        createElement(
          Routes,
          null,
          createElement(Route, {
            path: '/households/:id/show',
            element: createElement(ResourceContextProvider, { value: 'households', children: createElement(HouseholdShow) }),
          }),
        ),
      ),
    ),
  );
}

const entryTexts = async () => (await screen.findAllByTestId('housing-entry')).map((e) => e.textContent);

beforeEach(async () => {
  await i18nProvider.changeLocale('zh');
});
afterEach(cleanup);

describe('housing history on the household page', () => {
  it('lists appraisals and renovations newest first, in Chinese, with who, what and the case', async () => {
    renderHousehold(HOUSEHOLD);
    expect(await screen.findByRole('heading', { name: '住房档案' })).toBeTruthy();
    const section = await screen.findByTestId('housing-history');
    expect(within(section).getByText('住房安全状况')).toBeTruthy();
    expect(within(section).getByText('住房安全')).toBeTruthy();
    expect(await entryTexts()).toEqual([
      `2026-09-20危房改造拆除重建（D级危房）补助 35,000 元 · 拨付凭证号 CZ-2026-0042流程 ${CASE_2}`,
      `2026-03-10房屋安全鉴定D级危房（整体危险，须拆除重建）鉴定人员（机构）：区住房城乡建委 王建国流程 ${CASE_2}`,
      `2021-08-30危房改造加固改造（C级危房）补助 12,000 元 · 拨付凭证号 CZ-2021-0107流程 ${CASE_1}`,
      `2021-04-02房屋安全鉴定C级危房（局部危险，须加固）鉴定人员（机构）：重庆渝建房屋安全鉴定所 · 鉴定报告编号 YB-2021-033流程 ${CASE_1}`,
    ]);
    const links = within(section).getAllByRole('link', { name: CASE_2 });
    expect(links.map((l) => l.getAttribute('href'))).toEqual([`/processes/${encodeURIComponent(CASE_2)}/show`, `/processes/${encodeURIComponent(CASE_2)}/show`]);
  });

  it('says so when the house was never appraised', async () => {
    renderHousehold({ ...HOUSEHOLD, housingHistory: { status: 'unknown', appraisals: [], renovations: [] } });
    const section = await screen.findByTestId('housing-history');
    expect(within(section).getByText('未鉴定')).toBeTruthy();
    expect(within(section).getByText('暂无房屋安全鉴定或危房改造记录')).toBeTruthy();
    expect(screen.queryAllByTestId('housing-entry')).toHaveLength(0);
  });

  it('reads in English', async () => {
    await i18nProvider.changeLocale('en');
    renderHousehold({
      ...HOUSEHOLD,
      housingHistory: { ...HOUSEHOLD.housingHistory!, status: 'grade_d', renovations: HOUSEHOLD.housingHistory!.renovations.slice(0, 1) },
    });
    expect(await screen.findByRole('heading', { name: 'Housing history' })).toBeTruthy();
    const section = await screen.findByTestId('housing-history');
    expect(within(section).getByText('Grade D dangerous house')).toBeTruthy();
    expect((await entryTexts())[0]).toBe(`2026-03-10House safety appraisalGrade D (dangerous as a whole: demolish and rebuild)Appraised by 区住房城乡建委 王建国Case ${CASE_2}`);
    expect(within(section).getByText('Reinforcement (Grade C dangerous house)')).toBeTruthy();
    expect(within(section).getByText('Subsidy ¥12,000 · Payment voucher CZ-2021-0107')).toBeTruthy();
  });
});
