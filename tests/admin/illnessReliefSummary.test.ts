// @vitest-environment jsdom
/**
 * The illness-relief case page's summary block as the API answers the case: the patient with the ID
 * number masked, the disease, the year's settlement figures as ¥ amounts, the application; a viewer the
 * API withheld the health details from reads "已隐藏", never the mask; a superseded settlement does not count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { cleanup, render, screen } from '@testing-library/react';
import { AdminContext, testDataProvider } from 'react-admin';
import type { ProcessDetail } from '../../admin/src/api/types';
import { IllnessReliefSummary } from '../../admin/src/processes/IllnessReliefSummary';
import { i18nProvider } from '../../admin/src/i18n';

const SPOUSE_ID = '500112196803124406';
const settlement = { patient: { name: '王秀芝', relation: '配偶' }, disease: '慢性肾衰竭（透析）', settlementDate: '2026-11-02', totalCost: 80000, paidByBasicInsurance: 40000, paidByCriticalIllnessInsurance: 12000, paidByMedicalAssistance: 3000, outOfPocket: 25000 };

const relief = (over: Record<string, unknown> = {}) =>
  ({
    id: 'illnessRelief:H00000001:2026',
    type: 'illnessRelief',
    householdId: 'H00000001',
    state: {
      data: {
        year: 2026,
        application: { description: '配偶长期透析，申请大病救助' },
        settlements: [
          settlement,
          { ...settlement, settlementDate: '2026-11-20', totalCost: 1000, paidByBasicInsurance: 500, paidByCriticalIllnessInsurance: 0, paidByMedicalAssistance: 0, outOfPocket: 500, disease: '肺炎' },
          { ...settlement, settlementDate: '2026-10-01', outOfPocket: 99999, supersededBy: 'e:2' },
        ],
        totals: { totalCost: 81000, paidByBasicInsurance: 40500, paidByCriticalIllnessInsurance: 12000, paidByMedicalAssistance: 3000, outOfPocket: 25500 },
        threshold: { amount: 10000 },
        ...over,
      },
    },
  }) as unknown as ProcessDetail;

function renderSummary(process: ProcessDetail, memberId: string) {
  const dataProvider = { ...testDataProvider(), getHouseholdPart: async () => ({ members: [{ name: '王秀芝', idNumber: memberId, relation: 'spouse' }] }) };
  render(createElement(AdminContext, { dataProvider, i18nProvider }, createElement(IllnessReliefSummary, { process })));
}

beforeEach(async () => {
  await i18nProvider.changeLocale('zh');
});
afterEach(cleanup);

describe('the illness-relief summary', () => {
  it('names the patient with a masked ID number, the diseases, the figures and the application', async () => {
    renderSummary(relief(), SPOUSE_ID);
    expect((await screen.findByText(/王秀芝（配偶），身份证号 500112\*{8}4406/)).textContent).not.toContain(SPOUSE_ID);
    expect(screen.getByTestId('relief-disease').textContent).toBe('病种慢性肾衰竭（透析）、肺炎');
    expect(screen.getByTestId('relief-totals').textContent).toBe('2026年医保结算医疗总费用 ¥81,000.00，已报销 ¥55,500.00，个人自付 ¥25,500.00');
    expect(screen.getByTestId('relief-application').textContent).toContain('配偶长期透析');
    const lines = screen.getByTestId('relief-settlements').textContent ?? '';
    expect(lines).toContain('2026-11-20 王秀芝 肺炎：总费用 ¥1,000.00，报销 ¥500.00，自付 ¥500.00');
    expect(lines).not.toContain('99,999'); // superseded
  });

  it('says a withheld health detail is hidden, without showing the mask', async () => {
    const masked = relief({ application: { description: '***' }, settlements: [{ ...settlement, disease: '***' }] });
    renderSummary(masked, '500112********4406');
    await screen.findByText(/身份证号 500112\*{8}4406/);
    expect(screen.getByTestId('relief-disease').textContent).toBe('病种已隐藏（健康信息仅经办部门和属地干部可见）');
    expect(screen.getByTestId('relief-application').textContent).toBe('申请说明已隐藏（健康信息仅经办部门和属地干部可见）');
    expect(screen.getByTestId('illness-relief-summary').textContent?.replace(/500112\*{8}4406/, '')).not.toContain('*');
  });
});
