/**
 * Evidence end to end in Chromium (issue 22): a village cadre on a phone (390 px) attaches a photo to
 * the public notice step through the browser's file chooser, sees it upload and its thumbnail, and
 * completes the step; the town officer then sees the photo as a thumbnail on the case page and in its
 * history (with a note that the photo was taken long before), and opens it full size and in a new
 * window (a signed link). The case is brought to its notice over the API (tests/e2e/
 * console.test.ts drives those steps in the browser).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app';
import { noisePhoto, photo } from '../helpers/evidence';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(ROOT, 'tests', 'artifacts', 'screenshots');
const POLICY = join(ROOT, 'tests', 'fixtures', 'policy-short.yaml');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const CADRE = 'cadre.rongguang';
const CADRE2 = 'cadre.rongguang2';
const TOWN = 'town.tongjing';
const TODAY = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const visible = (l: Locator, timeout = 30_000) => l.first().waitFor({ state: 'visible', timeout });
const gone = (l: Locator, timeout = 30_000) => expect.poll(() => l.count(), { timeout }).toBe(0);
/** An <img> the browser has decoded (its thumbnail really arrived). */
const loaded = (img: Locator) => expect.poll(() => img.first().evaluate((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0), { timeout: 30_000 }).toBe(true);

let t: TestApp;
let base: string;
let browser: Browser;

function newestMtime(dir: string): number {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    m = Math.max(m, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return m;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const index = join(ROOT, 'admin', 'dist', 'index.html');
  if (!existsSync(index) || statSync(index).mtimeMs < newestMtime(join(ROOT, 'admin', 'src'))) {
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'admin', 'vite.config.ts'), logLevel: 'warn' });
  }
  t = await startTestApp({ policyFile: POLICY });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--lang=zh-CN'] });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function page(viewport: { width: number; height: number }, phone = false): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const p = await context.newPage();
  p.setDefaultTimeout(30_000);
  return p;
}

async function login(p: Page, username: string) {
  await p.goto(`${base}/`);
  await p.locator('input[name="username"]').fill(username);
  await p.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await p.locator('button[type="submit"]').click();
  await p.waitForURL((url) => !url.hash.includes('login'));
}

/** A case of a 荣光村 household at its public notice, the notice minimum (2 s) passed. */
async function caseAtNotice(): Promise<string> {
  const households = (await t.call('admin', { method: 'GET', url: `/api/households?filter=${encodeURIComponent(JSON.stringify({ village: '荣光村' }))}&range=[0,99]` })).json() as { id: string }[];
  for (const { id: householdId } of households) {
    const started = await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '户主患病（端到端测试）' } } });
    if (started.statusCode !== 201) continue;
    const id = started.json().id as string;
    const step = (as: string, key: string, form: object) => t.call(as, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/${key}`, payload: form });
    const verification = { verifiedOn: TODAY, coVerifierId: CADRE2, memberCount: 4, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '住院费用高' };
    expect((await step(CADRE, 'homeVerification', verification)).statusCode).toBe(200);
    expect((await step(CADRE2, 'villageReview', { heldOn: TODAY, participants: 20, result: 'pass', minutes: '同意' })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    return id;
  }
  throw new Error('no household of 荣光村 without an open case');
}

describe('evidence in the console', { timeout: 240_000 }, () => {
  it('a cadre on a phone photographs the posted notice into its step; the town officer sees the photo', async () => {
    const id = await caseAtNotice();
    const caseUrl = `${base}/#/processes/${encodeURIComponent(id)}/show`;

    const phone = await page(PHONE, true);
    await login(phone, CADRE);
    await phone.goto(caseUrl);
    const card = phone.getByTestId('step-publicNotice');
    await visible(card);
    await card.locator('input[id$="_postedOn"]').fill(TODAY);
    await card.locator('input[id$="_endedOn"]').fill(TODAY);
    await card.locator('input[id$="_location"]').fill('村务公开栏');

    // Without the photo the API refuses, naming what is missing.
    await card.getByRole('button', { name: '提交' }).click();
    await visible(card.getByTestId('form-failure'));
    await expect.poll(async () => card.getByTestId('form-failure').textContent()).toContain('公示的现场照片');

    // 拍照: the camera input, which Chromium answers with its file chooser.
    const [chooser] = await Promise.all([phone.waitForEvent('filechooser'), card.getByRole('button', { name: '拍照' }).click()]);
    await chooser.setFiles({ name: '公示栏.jpg', mimeType: 'image/jpeg', buffer: await photo({ colour: '#c0392b', exif: { takenAt: '2020:05:01 09:30:00' } }) });
    await loaded(card.getByTestId('file-thumb').locator('img'));
    await gone(card.getByTestId('file-upload'));
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
    await phone.screenshot({ path: join(SHOTS, 'evidence-notice-phone.png'), fullPage: true });

    await card.getByRole('button', { name: '提交' }).click();
    await gone(phone.getByTestId('step-publicNotice'));
    await visible(phone.getByTestId('step-townReview'));

    // The town officer: the photo on the completed notice and in the history, full size on a click.
    const desk = await page(DESKTOP);
    await login(desk, TOWN);
    await desk.goto(caseUrl);
    const completed = desk.getByTestId('completed-steps');
    await visible(completed);
    await completed.getByText('村内公示', { exact: true }).click(); // the completed step's form opens
    await visible(completed.getByTestId('file-thumb'));
    await loaded(completed.getByTestId('file-thumb').locator('img'));
    await loaded(desk.getByTestId('timeline').getByTestId('file-thumb').locator('img'));
    // Taken years before the notice: accepted, and the reviewer is told so.
    await expect.poll(async () => desk.getByTestId('photo-age-warning').first().textContent()).toContain('照片拍摄于 2020-05-01');
    await completed.getByTestId('file-thumb').first().click();
    await loaded(desk.getByTestId('file-full'));
    // 在新窗口打开: a signed link the browser opens without the token.
    await visible(desk.getByTestId('file-new-window'));
    const href = await desk.getByTestId('file-new-window').getAttribute('href');
    const opened = await desk.request.get(`${base}${href}`);
    expect(opened.status()).toBe(200);
    expect(opened.headers()['content-type']).toBe('image/jpeg');
    await desk.screenshot({ path: join(SHOTS, 'evidence-town-full-size.png') });
  });

  it('a photo goes up in chunks and, when the connection drops halfway, resumes by itself from what the server kept', async () => {
    const id = await caseAtNotice();
    const phone = await page(PHONE, true);
    await login(phone, CADRE);
    // The second chunk's connection is reset once, as a village network does.
    let puts = 0;
    let dropped = 0;
    await phone.route('**/api/files/uploads/*', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      if (++puts === 2) {
        dropped++;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await phone.goto(`${base}/#/processes/${encodeURIComponent(id)}/show`);
    const card = phone.getByTestId('step-publicNotice');
    await visible(card);
    const bytes = await noisePhoto(7, 1000, 800);
    expect(bytes.length).toBeGreaterThan(2 * 256 * 1024);
    const [chooser] = await Promise.all([phone.waitForEvent('filechooser'), card.getByRole('button', { name: '选择文件' }).click()]);
    await chooser.setFiles({ name: '公示栏全景.jpg', mimeType: 'image/jpeg', buffer: bytes });
    await loaded(card.getByTestId('file-thumb').locator('img'));
    await gone(card.getByTestId('file-upload'));
    expect(dropped).toBe(1);
    expect(puts).toBeGreaterThanOrEqual(4); // three chunks and the one sent again
    expect(await card.getByText('上传失败').count()).toBe(0);
  });
});
