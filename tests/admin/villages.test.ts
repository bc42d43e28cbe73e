// @vitest-environment jsdom
/**
 * 村庄 (villages) in a DOM, through the console's real data provider against a stubbed `fetch` that
 * answers as `GET|POST /api/villages` do: the list groups the villages by town and marks key villages;
 * only a role with `directory.manage` (admins) is offered to register one; the form sends the trimmed
 * names, and the API's 409 and 422 messages appear on the form (a 409 also on the name field), a 400
 * field error under its field.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminContext, HttpError, ResourceContextProvider, type AuthProvider } from 'react-admin';
import { createDataProvider } from '../../admin/src/api/dataProvider';
import { i18nProvider } from '../../admin/src/i18n';
import { VillageCreate } from '../../admin/src/villages/VillageCreate';
import { VillageList } from '../../admin/src/villages/VillageList';

const VILLAGES = [
  { id: 1, town: '统景镇', name: '荣光村', key: true },
  { id: 2, town: '统景镇', name: '印盒村', key: false },
  { id: 3, town: '古路镇', name: '吉星村', key: false },
];

type Answer = { status: number; body: unknown };
let postAnswer: Answer;
let posted: unknown[];

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** `GET /api/villages` (any page: the whole directory) and `POST /api/villages` (answers `postAnswer`). */
const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = new URL(String(input), 'http://console.test');
  if (url.pathname === '/api/villages' && (init?.method ?? 'GET') === 'GET') {
    return json(200, VILLAGES, { 'Content-Range': `villages 0-${VILLAGES.length - 1}/${VILLAGES.length}` });
  }
  if (url.pathname === '/api/villages' && init?.method === 'POST') {
    posted.push(JSON.parse(String(init.body)));
    return json(postAnswer.status, postAnswer.body);
  }
  return json(404, { error: { code: 'not_found', message: `no route ${url.pathname}`, details: [] } });
});

const authAs = (roles: string[]): AuthProvider => ({
  login: async () => undefined,
  logout: async () => undefined,
  checkAuth: async () => undefined,
  checkError: async () => undefined,
  getIdentity: async () => ({ id: roles[0], fullName: roles[0], name: roles[0], roles }),
});

function renderPage(page: 'list' | 'create', roles = ['admin']) {
  render(
    createElement(
      AdminContext,
      { dataProvider: createDataProvider({ apiUrl: '/api' }), authProvider: authAs(roles), i18nProvider },
      createElement(ResourceContextProvider, { value: 'villages', children: createElement(page === 'list' ? VillageList : VillageCreate) }),
    ),
  );
}

/** Pick a town in the autocomplete: an offered one, or a new one through its "新增镇" option. */
async function pickTown(text: string, option: string) {
  const input = await screen.findByRole('combobox', { name: /镇/ });
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: text } });
  fireEvent.click(await screen.findByRole('option', { name: option }));
  await waitFor(() => expect((input as HTMLInputElement).value).toBe(text.trim()));
}

async function fillAndSave(town: string, townOption: string, name: string) {
  await pickTown(town, townOption);
  fireEvent.change(screen.getByRole('textbox', { name: /村名/ }), { target: { value: name } });
  fireEvent.click(screen.getByRole('button', { name: '保存' }));
}

beforeAll(async () => {
  await i18nProvider.changeLocale('zh');
});
beforeEach(() => {
  // react-admin logs every refused request in development; those refusals are what these tests expect.
  const log = console.error;
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (!(args[0] instanceof HttpError)) log(...args);
  });
  posted = [];
  postAnswer = { status: 201, body: { id: 9, town: '统景镇', name: '新村', key: false } };
  vi.stubGlobal('fetch', fetchStub);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('village list', () => {
  it('groups the villages by town and marks the key villages', async () => {
    renderPage('list');
    const towns = await screen.findAllByTestId('town-villages');
    expect(towns.map((t) => within(t).getByRole('heading').textContent)).toEqual(['统景镇2 个村', '古路镇1 个村']);
    expect(within(towns[0]).getByText('荣光村（重点村）')).toBeTruthy();
    expect(within(towns[0]).getByText('印盒村')).toBeTruthy();
    expect(within(towns[1]).getByText('吉星村')).toBeTruthy();
  });

  it('offers registering a village to an admin only', async () => {
    renderPage('list', ['admin']);
    await screen.findAllByTestId('town-villages');
    expect(await screen.findByRole('link', { name: /新建/ })).toBeTruthy();
    cleanup();

    renderPage('list', ['district_supervisor']);
    await screen.findAllByTestId('town-villages');
    // the identity has arrived (the list is shown); still no create action
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('link', { name: /新建/ })).toBeNull();
  });
});

describe('village form', () => {
  it('offers the towns the API knows and sends the trimmed names', async () => {
    renderPage('create');
    const input = await screen.findByRole('combobox', { name: /镇/ });
    fireEvent.focus(input);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['统景镇', '古路镇']));
    fireEvent.click(screen.getByRole('option', { name: '统景镇' }));
    expect(await screen.findByTestId('existing-villages')).toHaveProperty('textContent', '统景镇已登记：荣光村、印盒村');
    fireEvent.change(screen.getByRole('textbox', { name: /村名/ }), { target: { value: ' 新村 ' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(posted).toEqual([{ town: '统景镇', name: '新村', key: false }]));
  });

  it('registers the first village of a new town typed in', async () => {
    renderPage('create');
    await fillAndSave('大湾镇', '新增镇“大湾镇”', '金鸡村');
    await waitFor(() => expect(posted).toEqual([{ town: '大湾镇', name: '金鸡村', key: false }]));
  });

  it("shows the API's 409 on the form and on the name field", async () => {
    postAnswer = { status: 409, body: { error: { code: 'conflict', message: '统景镇荣光村 已登记 (the village exists)', details: [] } } };
    renderPage('create');
    await fillAndSave('统景镇', '统景镇', '荣光村');
    const alert = await screen.findByTestId('form-failure');
    expect(alert.textContent).toContain('与当前状态冲突');
    expect(alert.textContent).toContain('统景镇荣光村 已登记 (the village exists)');
    expect(await screen.findByText('该镇已登记同名村庄')).toBeTruthy();
    expect(posted).toHaveLength(1);
  });

  it("shows the API's 422 rule message on the form", async () => {
    postAnswer = { status: 422, body: { error: { code: 'rule_violation', message: '古路镇不在本区的巩固任务范围内 (not a town of the district)', details: [] } } };
    renderPage('create');
    await fillAndSave('古路镇', '古路镇', '新华村');
    const alert = await screen.findByTestId('form-failure');
    expect(alert.textContent).toContain('业务规则不允许');
    expect(alert.textContent).toContain('古路镇不在本区的巩固任务范围内 (not a town of the district)');
  });

  it("puts a 400 field error under that field, in the console's language", async () => {
    postAnswer = {
      status: 400,
      body: { error: { code: 'invalid_request', message: 'name: must match pattern "^\\S(.*\\S)?$"', details: [{ field: 'name', rule: 'pattern', message: 'must match pattern "^\\S(.*\\S)?$"' }] } },
    };
    renderPage('create');
    await fillAndSave('古路镇', '古路镇', '新华村');
    expect(await screen.findByText('首尾不能有空格')).toBeTruthy();
    expect((await screen.findByTestId('form-failure')).textContent).toContain('请更正标出的字段');
  });

  it('refuses an empty name before anything is sent', async () => {
    renderPage('create');
    await pickTown('古路镇', '古路镇');
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('必填')).toBeTruthy();
    expect(posted).toEqual([]);
  });
});
