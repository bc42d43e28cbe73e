/**
 * fangfan's console inside a host platform's own react-admin app (admin/src/plugin.tsx): a host
 * `<Admin>` with its own resource (项目, from the host's in-memory data provider) and fangfan's
 * resources and pages, one data provider (CRUD by resource name, fangfan's custom methods to fangfan),
 * the host's messages merged with fangfan's. The fangfan side talks over HTTP to the real app
 * (tests/helpers/app.ts, on the run's real Temporal) as the host serves it, under `/fangfan/api`: the
 * app cannot be registered under a prefix yet, so the host's reverse proxy (the `fetch` below) strips
 * the prefix. Every request fangfan makes must go to the configured apiUrl; anything else gets the
 * proxy's 404 and fails the test. The DOM comes from ./dom (not vitest's per-file jsdom environment: see there).
 */
import './dom';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createElement as h } from 'react';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { Admin, DataTable, List, Resource, testDataProvider, type StringMap } from 'react-admin';
import polyglotI18nProvider from 'ra-i18n-polyglot';
import { MemoryRouter } from 'react-router-dom';
import type { AddressInfo } from 'node:net';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import {
  createFangfanAuthProvider,
  createFangfanDataProvider,
  fangfanAdmin,
  withFangfanDataProvider,
  withFangfanMessages,
  type FangfanLocale,
} from '../../admin/src/plugin';

/** Where the host platform serves fangfan's API. */
const API_URL = 'http://platform.test/fangfan/api';

let t: TestApp;
let appOrigin: string;
/** Every URL fangfan's providers fetched. */
let requests: string[] = [];
const realFetch = globalThis.fetch;

/** The host's reverse proxy: `<API_URL>/…` to the app's `/api/…`, anything else a 404. */
async function proxy(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const url = String(input);
  requests.push(url);
  if (!url.startsWith(`${API_URL}/`)) return new Response('not the fangfan API', { status: 404 });
  // Method, headers and body only: react-query's abort signal is jsdom's, which Node's fetch refuses.
  return realFetch(`${appOrigin}/api/${url.slice(API_URL.length + 1)}`, { method: init.method, headers: init.headers, body: init.body });
}

/** The host's own resource and the resources its data provider was asked for. */
const PROJECTS = [
  { id: 1, name: '统景镇柑橘产业园' },
  { id: 2, name: '古路镇光伏扶贫电站' },
];
const hostCalls: string[] = [];
const hostDataProvider = testDataProvider({
  getList: (async (resource: string) => {
    hostCalls.push(resource);
    return { data: PROJECTS, total: PROJECTS.length };
  }) as never,
});

function ProjectList() {
  return h(List, { title: '项目一览' }, h(DataTable, { bulkActionButtons: false }, h(DataTable.Col, { source: 'name' })));
}

/** The host's messages: only its own keys (react-admin's come with fangfan's). */
const HOST_MESSAGES: Record<FangfanLocale, StringMap> = {
  zh: { resources: { projects: { name: '项目 |||| 项目', fields: { name: '项目名称' } } } },
  en: { resources: { projects: { name: 'Project |||| Projects', fields: { name: 'Name' } } } },
};

const i18nProvider = polyglotI18nProvider((locale) => withFangfanMessages(HOST_MESSAGES[locale as FangfanLocale], locale as FangfanLocale), 'zh', [
  { locale: 'zh', name: '中文' },
  { locale: 'en', name: 'English' },
]);

const authProvider = createFangfanAuthProvider({ apiUrl: API_URL });

/** The host's app at `path`: its own resource first, then fangfan's. */
function renderHost(path: string) {
  const dataProvider = withFangfanDataProvider(hostDataProvider, createFangfanDataProvider({ apiUrl: API_URL }));
  render(
    h(
      MemoryRouter,
      { initialEntries: [path] },
      h(Admin, { dataProvider, authProvider, i18nProvider, disableTelemetry: true }, h(Resource, { name: 'projects', list: ProjectList }), fangfanAdmin()),
    ),
  );
}

beforeAll(async () => {
  t = await startTestApp({ worker: false });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  appOrigin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  vi.stubGlobal('fetch', proxy);
  // The host uses fangfan's auth provider: the login goes to the prefixed API as well.
  await authProvider.login({ username: 'admin', password: DEMO_PASSWORD });
});
afterEach(() => {
  cleanup();
  requests = [];
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await t?.close();
});

describe('the console in a host <Admin>', () => {
  it("renders fangfan's household list with its Chinese title and the API's rows, every request to the configured apiUrl", async () => {
    const page = (await t.call('admin', { method: 'GET', url: '/api/households?sort=["id","ASC"]&range=[0,9]' })).json() as { id: string; headName: string }[];
    expect(page.length).toBeGreaterThan(0);

    renderHost('/households');
    await waitFor(() => expect(requests.length).toBeGreaterThan(0));
    expect(requests.filter((u) => !u.startsWith(`${API_URL}/`))).toEqual([]);
    const table = await screen.findByRole('table', {}, { timeout: 20_000 });
    for (const household of page) expect((await within(table).findAllByText(household.headName)).length).toBeGreaterThan(0);
    expect(screen.getAllByText('农户').length).toBeGreaterThan(0);
    expect(within(table).getByText('户主姓名')).toBeTruthy();

    expect(requests.some((u) => u.startsWith(`${API_URL}/households?`))).toBe(true);
    expect(requests.filter((u) => !u.startsWith(`${API_URL}/`))).toEqual([]);
    expect(hostCalls).toEqual([]);
  });

  it("renders fangfan's overdue dashboard, whose custom data provider methods reach fangfan's API", async () => {
    renderHost('/overdue');
    // The summary comes from the custom method getOverdueSummary (no resource argument to route by).
    await waitFor(() => expect(screen.getByTestId('overdue-total').textContent).toMatch(/^逾期未办环节共 \d+ 个$/), { timeout: 20_000 });
    expect(screen.getAllByText('逾期督办').length).toBeGreaterThan(0);
    expect(requests).toContain(`${API_URL}/steps/overdue/summary?groupBy=town`);
    expect(requests.filter((u) => !u.startsWith(`${API_URL}/`))).toEqual([]);
    expect(hostCalls).toEqual([]);
  });

  it("still renders the host's own resource from the host's data provider", async () => {
    renderHost('/projects');
    const table = await screen.findByRole('table', {}, { timeout: 20_000 });
    expect(within(table).getByText('统景镇柑橘产业园')).toBeTruthy();
    expect(within(table).getByText('古路镇光伏扶贫电站')).toBeTruthy();
    expect(within(table).getByText('项目名称')).toBeTruthy();
    expect(screen.getAllByText('项目一览').length).toBeGreaterThan(0);
    expect(hostCalls).toEqual(['projects']);
    expect(requests).toEqual([]);
  });

  it("sends the host's token when the host gives one, instead of fangfan's session", async () => {
    const range = { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' as const }, filter: {} };
    // The session is the admin's (logged in above): API keys are the admin's to list.
    await expect(createFangfanDataProvider({ apiUrl: API_URL }).getList('api-keys', range)).resolves.toMatchObject({ total: expect.any(Number) });
    const supervisor = await t.login('supervisor');
    await expect(createFangfanDataProvider({ apiUrl: API_URL, getToken: () => supervisor }).getList('api-keys', range)).rejects.toMatchObject({ status: 403 });
    expect(requests.filter((u) => !u.startsWith(`${API_URL}/`))).toEqual([]);
  });
});
