/**
 * The console for everyone who has to use it, in Chromium against the real app:
 * - on a village's slow network: the login page on a throttled "Fast 3G" line (Chromium's network
 *   emulation: 1.6 Mbps down, 750 kbps up, 150 ms round trip, empty cache) downloads compressed files
 *   and neither the charts nor the forms; the time to the login form and to the first screen is
 *   recorded (test output and tests/artifacts/bench/fast3g.json, figures in docs/benchmarks.md), not
 *   asserted;
 * - with a keyboard and a screen reader: axe-core finds no serious or critical violation on the login
 *   page, the inbox, a case page with its step form and the dashboard, and an inbox row is reached with
 *   Tab and opened with Enter;
 * - in plain Chinese: every screen's text is scanned for codes, JSON and English (tests/helpers/screen-checks.ts):
 *   also an admin's API keys (scopes in words), users and user form (login names pass only as the data
 *   shown), the policy editor with its field errors and a version's page, and a 医保 officer's
 *   illness-relief case (patient with masked ID number, disease, settlement, application), at desktop
 *   and phone width, each with axe-core and its screenshot in tests/artifacts/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';
import { RONGGUANG, newHousehold, randomIdNumber } from '../helpers/integrations';
import { DESKTOP, PHONE, SHOTS, login, newPage, openConsole } from '../helpers/browser';
import { expectAccessible, expectPlainLanguage } from '../helpers/screen-checks';
import { DEMO_USERS } from '../../server/demo-data';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BENCH = join(ROOT, 'tests', 'artifacts', 'bench');
const CADRE = 'cadre.rongguang';

/** Chromium DevTools' "Fast 3G" as the issue measured it: bytes per second and milliseconds. */
const FAST_3G = { offline: false, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8, latency: 150 };

let t: TestApp;
let base: string;
let browser: Browser;

let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  mkdirSync(BENCH, { recursive: true });
  ({ t, base, browser, close } = await openConsole());
});

afterAll(async () => close?.());

/** Both checks of a screen, and its picture. */
async function checkScreen(page: Page, name: string, dataShown: readonly string[] = []) {
  await page.locator('.MuiSnackbar-root').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => undefined);
  await expectPlainLanguage(page, { dataShown });
  await expectAccessible(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function startCase(headName: string): Promise<string> {
  const household = await newHousehold(t, RONGGUANG, { headName });
  const res = await t.call(CADRE, {
    method: 'POST',
    url: '/api/processes',
    payload: { type: 'identification', input: { householdId: household.id, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '户主患病，收入骤减' } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('the console on slow networks, by keyboard, in plain Chinese', { timeout: 240_000 }, () => {
  it('serves its files compressed, hashed assets cached for good, the page itself revalidated', async () => {
    const script = readdirSync(join(ROOT, 'admin', 'dist', 'assets')).find((f) => /^index-.*\.js$/.test(f))!;
    const br = await t.app.inject({ method: 'GET', url: `/assets/${script}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    const gz = await t.app.inject({ method: 'GET', url: `/assets/${script}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await t.app.inject({ method: 'GET', url: `/assets/${script}` });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(br.rawPayload.length * 2);
    const page = await t.app.inject({ method: 'GET', url: '/inbox', headers: { 'accept-encoding': 'br' } });
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('logs in on a throttled Fast 3G line without downloading the charts or the forms (time recorded)', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    const scripts: { url: string; encoding?: string; bytes: number }[] = [];
    const bytesOf = new Map<string, number>();
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => bytesOf.set(e.requestId, e.encodedDataLength));
    const ids = new Map<string, { url: string; encoding?: string }>();
    cdp.on('Network.responseReceived', (e: { requestId: string; response: { url: string; headers: Record<string, string> } }) => {
      if (e.response.url.endsWith('.js') || e.response.url.endsWith('.css')) ids.set(e.requestId, { url: e.response.url, encoding: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] });
    });

    const started = Date.now();
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').waitFor({ state: 'visible' });
    const toLoginForm = Date.now() - started;
    for (const [id, r] of ids) scripts.push({ ...r, bytes: bytesOf.get(id) ?? 0 });
    await checkScreen(page, 'login-fast3g-phone');

    await page.locator('input[name="username"]').fill(CADRE);
    await page.locator('input[name="password"]').fill(process.env.DEMO_PASSWORD ?? 'demo1234');
    const submitted = Date.now();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => !url.hash.includes('login'));
    await page.getByTestId('step-row-title').or(page.getByTestId('inbox-empty')).first().waitFor({ state: 'visible' });
    const toInbox = Date.now() - submitted;

    // What the login page downloaded: compressed, and not the charts' or the forms' chunk.
    expect(scripts.length).toBeGreaterThan(0);
    // (A file under 1 KB is not worth compressing: admin/precompress.ts.)
    const assets = join(ROOT, 'admin', 'dist', 'assets');
    for (const s of scripts) if (statSync(join(assets, s.url.split('/').pop()!)).size >= 1024) expect(s.encoding, s.url).toBe('br');
    expect(scripts.filter((s) => s.encoding === 'br').length).toBeGreaterThan(3);
    expect(scripts.map((s) => s.url).filter((u) => /\/(charts|forms)-/.test(u))).toEqual([]);
    const kb = Math.round(scripts.reduce((n, s) => n + s.bytes, 0) / 1024);
    const figures = { profile: 'Fast 3G (1.6 Mbps down, 750 kbps up, 150 ms RTT), empty cache, 390 px phone', loginFormMs: toLoginForm, loginPageScriptsKB: kb, scripts: scripts.length, loginToInboxMs: toInbox };
    console.log(`fast 3G: login form in ${toLoginForm} ms (${kb} KB of scripts in ${scripts.length} files); first screen ${toInbox} ms after logging in`);
    writeFileSync(join(BENCH, 'fast3g.json'), `${JSON.stringify(figures, null, 2)}\n`);
    await context.close();
  });

  it('a cadre reaches and opens an inbox row with the keyboard; inbox, case page and step form pass axe-core', async () => {
    const headName = '键盘测试户';
    const caseId = await startCase(headName);
    const page = await newPage(browser, DESKTOP);
    await login(page, base, CADRE);
    const row = page.locator('[data-testid="inbox"] tbody tr', { hasText: headName });
    await row.first().waitFor({ state: 'visible' });
    await checkScreen(page, 'inbox-a11y-desktop');

    // Tab until the row's link has the focus, then Enter opens the case.
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await row.first().evaluate((tr) => tr.contains(document.activeElement));
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.hash === `#/processes/${encodeURIComponent(caseId)}/show`);
    const step = page.getByTestId('step-homeVerification');
    await step.waitFor({ state: 'visible' });
    await checkScreen(page, 'case-step-form-a11y-desktop');
  });

  it('the supervisor’s dashboard passes axe-core and reads in plain Chinese, on a phone too', async () => {
    const page = await newPage(browser, DESKTOP);
    await login(page, base, 'supervisor');
    await page.getByTestId('dashboard-chart').first().waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    await checkScreen(page, 'dashboard-a11y-desktop');
    const phone = await newPage(browser, PHONE, true);
    await login(phone, base, 'supervisor');
    await phone.getByTestId('dashboard').waitFor({ state: 'visible' });
    await phone.waitForLoadState('networkidle');
    await checkScreen(phone, 'dashboard-a11y-phone');
  });

  it('an admin’s API keys, users and policy editor read in plain Chinese and pass axe-core, on a phone too', async () => {
    const key = await t.call('admin', { method: 'POST', url: '/api/api-keys', payload: { name: '区医保数据比对', scopes: ['exchange', 'alert', 'settlement', 'department:区医保局'] } });
    expect(key.statusCode, key.body).toBe(201);
    // What an admin typed or the system issued, shown as data: login names and key prefixes.
    const prefixes = ((await t.call('admin', { method: 'GET', url: '/api/api-keys' })).json() as { prefix: string }[]).map((k) => k.prefix);
    const logins = DEMO_USERS.map((u) => u.username);
    const v1 = ((await t.call('admin', { method: 'GET', url: '/api/policy/versions' })).json() as { id: string; version: number }[]).find((v) => v.version === 1)!.id;
    for (const [viewport, phone, size] of [[DESKTOP, false, 'desktop'], [PHONE, true, 'phone']] as const) {
      const page = await newPage(browser, viewport, phone);
      await login(page, base, 'admin');
      await page.goto(`${base}/#/api-keys`);
      await page.getByText('区医保数据比对').first().waitFor({ state: 'visible' });
      await page.getByText('部门数据比对报送与反馈').first().waitFor({ state: 'visible' });
      await checkScreen(page, `api-keys-${size}`, prefixes);
      await page.goto(`${base}/#/users`);
      await page.getByText('李明华').first().waitFor({ state: 'visible' });
      await checkScreen(page, `users-${size}`, logins);
      await page.goto(`${base}/#/users/cadre.rongguang`);
      await page.locator('input[name="name"]').waitFor({ state: 'visible' });
      await checkScreen(page, `user-edit-${size}`, logins);
      await page.goto(`${base}/#/policy-versions/create`);
      const notice = page.locator('#policy_values_identification_noticeMinimum');
      await notice.waitFor({ state: 'visible' });
      await checkScreen(page, `policy-draft-${size}`);
      // A value out of bounds and a missing reason: the form names them in Chinese.
      await notice.fill('0');
      await page.getByRole('button', { name: '保存草稿' }).click();
      await page.getByText('必填').first().waitFor({ state: 'visible' });
      await checkScreen(page, `policy-draft-errors-${size}`);
      // The version's page: its values and changes in words.
      await page.goto(`${base}/#/policy-versions/${encodeURIComponent(v1)}/show`);
      await page.getByTestId('policy-status').waitFor({ state: 'visible' });
      await checkScreen(page, `policy-version-${size}`);
      await page.context().close();
    }
  });

  it('the 医保 officer opens an illness-relief case: the patient (ID number masked), the disease, the settlement and the application, in plain Chinese', async () => {
    const household = await newHousehold(t, RONGGUANG, { headName: '医保测试户', status: 'out_of_poverty' });
    const spouseId = randomIdNumber();
    const members = [{ name: '医保测试户', idNumber: household.idNumber, relation: 'head' }, { name: '王秀芝', idNumber: spouseId, relation: 'spouse' }];
    expect((await t.call(CADRE, { method: 'PUT', url: `/api/households/${household.id}/members`, payload: { members } })).statusCode).toBe(200);
    const applied = await t.call('town.tongjing', {
      method: 'POST',
      url: '/api/processes',
      payload: {
        type: 'illnessRelief',
        input: {
          householdId: household.id,
          patient: { name: '王秀芝', relation: '配偶' },
          disease: '慢性肾衰竭（透析）',
          settlementDate: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
          totalCost: 80000,
          paidByBasicInsurance: 40000,
          paidByCriticalIllnessInsurance: 12000,
          paidByMedicalAssistance: 3000,
          outOfPocket: 25000,
          description: '配偶长期透析，家庭自付医疗费用高，申请大病救助',
        },
      },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const caseId = applied.json().id as string;

    for (const [viewport, phone, size] of [[DESKTOP, false, 'desktop'], [PHONE, true, 'phone']] as const) {
      const page = await newPage(browser, viewport, phone);
      await login(page, base, 'yibao');
      await page.goto(`${base}/#/processes/${encodeURIComponent(caseId)}/show`);
      const summary = page.getByTestId('illness-relief-summary');
      await expect.poll(() => summary.getByTestId('relief-patient').innerText(), { timeout: 30_000 }).toContain(`王秀芝（配偶），身份证号 ${spouseId.slice(0, 6)}********${spouseId.slice(-4)}`);
      expect(await summary.innerText()).not.toContain(spouseId);
      expect(await summary.getByTestId('relief-disease').innerText()).toContain('慢性肾衰竭（透析）');
      expect(await summary.getByTestId('relief-totals').innerText()).toContain('医疗总费用 ¥80,000.00，已报销 ¥55,000.00，个人自付 ¥25,000.00');
      expect(await summary.getByTestId('relief-application').innerText()).toContain('配偶长期透析');
      await page.getByTestId('step-expenseVerification').waitFor({ state: 'visible' });
      await checkScreen(page, `illness-relief-case-${size}`);
      if (phone) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
      await page.context().close();
    }
  });
});
