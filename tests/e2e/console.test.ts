/**
 * The admin console end to end, in Debian's Chromium driven by playwright-core, against the real app
 * (Fastify + a worker on the run's real Temporal dev server) with a short test policy:
 * a village cadre logs in, starts a monitoring identification from the generated form, completes home
 * verification (with a co-verifier picked from the village's cadres) and village review — a wrong value
 * is refused with a visible message; the Chinese labels render; a supervisor opens on the statistics
 * dashboard and sees an overdue step on the overdue dashboard; an admin creates an API key (shown
 * once), revokes it, and finds the logins in the audit log; an admin registers a village on a phone (a
 * duplicate is refused on the form); a household shows its housing history; the case page prints the
 * public notice; an admin enters next year's official holidays; a town officer reads its own score and the 约谈/问责 records of its town. Screenshots (desktop 1280 px and phone 390 px, and the printed notice) go to
 * tests/artifacts/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app';
import { idCheckChar } from '../../server/validation/id-number';
import { Process, Step } from '../../db';
import { photoId } from '../helpers/evidence';
import { expectPlainLanguage } from '../helpers/screen-checks';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(ROOT, 'tests', 'artifacts', 'screenshots');
const POLICY = join(ROOT, 'tests', 'fixtures', 'policy-short.yaml');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const CADRE = 'cadre.rongguang'; // 李明华, 统景镇荣光村
const CO_VERIFIER = '张晓燕'; // as the co-verifier picker lists her (by name: no other cadre of the village is called so)
const SUPERVISOR = 'supervisor';

/** Today and tomorrow in Asia/Shanghai (the workflows' calendar). */
const shanghai = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const TODAY = shanghai(Date.now());
const TOMORROW = shanghai(Date.now() + 86_400_000);

/** The newest mtime under a folder (to rebuild a stale bundle when the sources changed). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

async function buildAdminIfNeeded() {
  const index = join(ROOT, 'admin', 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(ROOT, 'admin', 'src'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'admin', 'vite.config.ts'), logLevel: 'warn' });
}


/** Waits (vitest has no Playwright matchers): visible, gone, containing a text. */
const visible = (l: Locator, timeout = 30_000) => l.first().waitFor({ state: 'visible', timeout });
const gone = (l: Locator, timeout = 30_000) => expect.poll(() => l.count(), { timeout }).toBe(0);
const hasText = (l: Locator, text: string, timeout = 30_000) => expect.poll(async () => (await l.first().textContent()) ?? '', { timeout }).toContain(text);

let t: TestApp;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
/** Console errors are reported (a failed request is logged by the browser too), not failed on. */
const consoleErrors: string[] = [];

/** A household of 荣光村 made for this run (unique, so its case id is new on the shared dev server). */
async function newHousehold(headName: string): Promise<string> {
  const first17 = `500112198${Math.floor(Math.random() * 10)}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const res = await t.call(CADRE, {
    method: 'POST',
    url: '/api/households',
    payload: { headName, idNumber: first17 + idCheckChar(first17), town: '统景镇', village: '荣光村', memberCount: 4, status: 'out_of_poverty' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const NAME_CHARS = '甲乙丙丁戊己庚辛壬癸';
const randomName = (prefix: string) => prefix + Array.from({ length: 3 }, () => NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)]).join('');

async function newPage(viewport: { width: number; height: number }, phone = false): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 500));
  });
  return page;
}

async function login(page: Page, username: string) {
  await page.goto(`${base}/`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.hash.includes('login'));
}

/**
 * The page's text as people see it (text-transform applied): no technical ids, no codes, JSON or English
 * words (the shared scan, tests/helpers/screen-checks.ts), no browser date masks.
 */
async function expectPlainChinese(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/identification:|objection-\d|mm\/dd|EXCEL/);
  await expectPlainLanguage(page);
  // Date fields are text fields with a picker, written YYYY-MM-DD (never the browser's mm/dd/yyyy).
  // (The calendar button's own browser input, data-picker, is never shown.)
  expect(await page.locator('input[type="date"]:not([data-picker])').count()).toBe(0);
  for (const field of await page.locator('input[data-picker]').all()) expect((await field.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
}

/** Nothing scrolls sideways at phone width: neither the page nor any element inside it (a table in its card). */
async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
  const wide = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('main *'))
      .filter((e) => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
      .map((e) => `${e.tagName.toLowerCase()}${e.dataset.testid ? `[${e.dataset.testid}]` : ''} ${e.scrollWidth}>${e.clientWidth}`),
  );
  expect(wide).toEqual([]);
}

async function shot(page: Page, name: string) {
  // A notification ("已提交") hides after a few seconds: not in the picture.
  await page.locator('.MuiSnackbar-root').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => undefined);
  // From the top, nothing focused (the app bar hides on scroll; a focused skip link would show).
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.waitForTimeout(400); // let charts and chips settle
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await buildAdminIfNeeded();
  t = await startTestApp({ policyFile: POLICY });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
});

afterAll(async () => {
  if (consoleErrors.length) console.log(`browser console errors:\n${[...new Set(consoleErrors)].join('\n')}`);
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

// Generous limits: CI runs this beside other test files on two cores.
describe('admin console in Chromium', { timeout: 240_000 }, () => {
  let caseUrl = '';
  let headName = '';

  it('a village cadre starts an identification, completes home verification and village review', async () => {
    headName = randomName('端到端');
    await newHousehold(headName);
    const page = await newPage(DESKTOP);
    await login(page, CADRE);

    // Chinese by default: the menu and the app bar.
    await expect.poll(() => page.getByRole('menuitem', { name: '我的待办' }).count()).toBeGreaterThan(0);
    await visible(page.getByText('村干部 · 统景镇荣光村'));

    // 发起流程: the form generated from the catalogue's startSchema.
    await page.getByRole('menuitem', { name: '发起流程' }).click();
    await page.getByRole('radio', { name: /^监测对象认定/ }).check();
    await visible(page.getByText('发现渠道'));
    const household = page.locator('#start_householdId');
    await household.fill(headName);
    await page.getByRole('option', { name: new RegExp(headName) }).click();
    await page.getByLabel('基层干部排查').check();
    await page.getByLabel('边缘易致贫户').check();
    await page.getByLabel('因病').check();
    await page.locator('#start_description').fill('户主突发重病，医疗支出大，收入骤降（端到端测试）');
    await page.getByRole('button', { name: '发起' }).click();

    // The case page: live state, the open step with its form.
    await page.waitForURL(/#\/processes\/.+\/show/);
    caseUrl = page.url();
    await hasText(page.getByTestId('process-title'), headName);
    await hasText(page.getByTestId('process-title'), '监测对象认定');
    const verification = page.getByTestId('step-homeVerification');
    await visible(verification, 30_000);
    await visible(verification.getByText('入户核实'));

    // A wrong value: a verification date in the future is refused by the workflow's rule (422), visibly.
    await verification.locator('input[id$="_verifiedOn"]').fill(TOMORROW);
    await verification.locator('select[id$="_coVerifierId"]').selectOption({ label: CO_VERIFIER });
    await verification.locator('input[id$="_memberCount"]').fill('4');
    await verification.locator('input[id$="_perCapitaIncome"]').fill('5200');
    for (const g of ['foodClothing', 'education', 'housing', 'water']) await verification.locator(`input[id$="_guarantees_${g}-0"]`).check();
    await verification.locator('input[id$="_guarantees_medical-1"]').check();
    await verification.locator('textarea[id$="_findings"]').fill('两人入户核实：因病支出大，医疗保障存在风险。');
    await verification.getByRole('button', { name: '提交' }).click();
    const refusal = verification.getByTestId('form-failure');
    await visible(refusal);
    await hasText(refusal, '业务规则不允许');
    await hasText(refusal, '核实日期不能晚于今天');
    expect(await refusal.textContent()).not.toMatch(/verification date|cannot be/); // no English tail on a Chinese screen

    // Corrected, it goes through and the case moves on to village review.
    await verification.locator('input[id$="_verifiedOn"]').fill(TODAY);
    await verification.getByRole('button', { name: '提交' }).click();
    const review = page.getByTestId('step-villageReview');
    await visible(review, 30_000);
    await gone(page.getByTestId('step-homeVerification'));

    // A client-side check first: an empty required field is named in Chinese, nothing is sent.
    await review.getByRole('button', { name: '提交' }).click();
    await visible(review.getByText('必填').first());

    await review.locator('input[id$="_heldOn"]').fill(TODAY);
    await review.locator('input[id$="_participants"]').fill('23');
    await review.getByLabel('评议通过').check();
    await review.locator('textarea[id$="_minutes"]').fill('村民代表 23 人参会，一致同意纳入监测。');
    await review.getByRole('button', { name: '提交' }).click();
    await visible(page.getByTestId('step-publicNotice'), 30_000);
    await gone(page.getByTestId('step-villageReview'));

    // The timeline (from Temporal's history) shows who did what; the completed steps keep their forms.
    await hasText(page.getByTestId('timeline'), '入户核实');
    await hasText(page.getByTestId('timeline'), '村级民主评议：评议通过');
    await hasText(page.getByTestId('timeline'), '李明华');
    await hasText(page.getByTestId('completed-steps'), '入户核实');
    await shot(page, 'case-desktop');

    // 打印: the case page and the notice's card offer the notice; the page is fetched with the token
    // and handed to the browser's print dialog through a hidden frame.
    const noticeCard = page.getByTestId('step-publicNotice');
    await hasText(noticeCard.getByTestId('print-notice'), '打印公示');
    await hasText(page.getByTestId('print-notice'), '打印公示');
    await visible(page.getByText('另存为 PDF').first());
    await noticeCard.getByTestId('print-notice').click();
    const printed = page.frameLocator('[data-testid="print-frame"]');
    await hasText(printed.locator('h1'), '防止返贫监测对象认定公示');
    await hasText(printed.locator('.place'), '统景镇荣光村');
    await hasText(printed.locator('body'), headName);
    await hasText(printed.locator('body'), '如有异议');
    // The printed page as the printer gets it, beside the other screenshots.
    const sheet = await newPage({ width: 794, height: 1123 });
    await sheet.setContent((await page.getByTestId('print-frame').getAttribute('srcdoc')) ?? '');
    await sheet.emulateMedia({ media: 'print' });
    await shot(sheet, 'notice-print');

    // A signal from the catalogue, offered at its stage: an objection while the notice is up.
    await page.getByTestId('signal-objection').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[id$="_raisedBy"]').fill('村民王某');
    await dialog.locator('textarea[id$="_content"]').fill('该户有经营性收入未申报（端到端测试）');
    await dialog.getByRole('button', { name: '提交' }).click();
    await gone(dialog);
    await hasText(page.getByTestId('timeline'), '公示异议', 30_000);
    await visible(page.getByTestId('step-objectionReview'), 30_000);
    await hasText(page.getByTestId('step-objectionReview'), '等待镇工作组办理');

    // 我的待办: the public notice is the cadre's next step.
    await page.getByRole('menuitem', { name: '我的待办' }).click();
    await visible(page.getByText('村内公示').first());
    await visible(page.getByText(headName).first());
    await shot(page, 'inbox-desktop');

    // Every list exports its Excel ledger (fetched with the token, saved as a download).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const xlsx = await readFile((await download.path())!);
    expect(xlsx.subarray(0, 2).toString()).toBe('PK'); // a zip: an .xlsx workbook

    // English is one click away, and the choice sticks.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await visible(page.getByRole('menuitem', { name: 'My inbox' }));
    await visible(page.getByText('Public notice in the village').first());
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('menuitem', { name: '中文' }).click();
    await visible(page.getByRole('menuitem', { name: '我的待办' }));
  });

  it('the inbox and the case are usable at phone width; rows name the household head, and search and the due filter narrow them', async () => {
    // A second case in the cadre's inbox: its home verification (PT2S in the short policy) soon overdue.
    const otherHead = randomName('另户');
    const started = await t.call(CADRE, {
      method: 'POST',
      url: '/api/processes',
      payload: { type: 'identification', input: { householdId: await newHousehold(otherHead), channel: 'self_report', category: 'unstable', riskTypes: ['illness'], description: '待办搜索测试' } },
    });
    expect(started.statusCode, started.body).toBe(201);

    const page = await newPage(PHONE, true);
    await login(page, CADRE);
    await visible(page.getByText('村内公示').first());
    // Each row names the household head, so that two rows of the same step tell households apart.
    const rowOf = (head: string) => page.getByTestId('step-row-title').filter({ hasText: head });
    await visible(rowOf(headName));
    await visible(rowOf(otherHead));
    await hasText(rowOf(headName), '村内公示');
    await hasText(rowOf(otherHead), '入户核实');
    await shot(page, 'inbox-phone');

    // The search (head's name or household id) leaves the rows of that household only.
    const search = page.getByPlaceholder('户主姓名或户编号');
    await search.fill(headName);
    await gone(rowOf(otherHead));
    await visible(rowOf(headName));
    await search.fill('');
    await visible(rowOf(otherHead));
    // 已逾期: the other household's home verification (due in 2 s) only; the notice is due soon, not late.
    const otherId = started.json().id as string;
    await expect
      .poll(async () => (await t.call(CADRE, { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(JSON.stringify({ due: 'overdue', processId: otherId }))}` })).json().length, { timeout: 30_000, interval: 500 })
      .toBe(1);
    await page.getByRole('combobox', { name: '到期情况' }).click();
    await page.getByRole('option', { name: '已逾期' }).click();
    await gone(rowOf(headName));
    await visible(rowOf(otherHead));
    await hasText(page.getByTestId('due-chip'), '逾期');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
    await shot(page, 'inbox-phone-filtered');
    await page.goto(caseUrl);
    await visible(page.getByTestId('step-publicNotice'));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width + 1); // nothing wider than the phone
    // The case by the number people read out on the phone, the objection counted in words.
    await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).toMatch(/案件编号\s*认定-\d{4}-\d{4}/);
    await hasText(page.getByTestId('step-objectionReview'), '第1条异议');
    await expectPlainChinese(page);
    await shot(page, 'case-phone');
  });

  it("a supervisor's first page is the statistics dashboard, in Chinese, each figure a link to its list", async () => {
    const page = await newPage(DESKTOP);
    await login(page, SUPERVISOR);
    await visible(page.getByTestId('dashboard'));
    for (const label of ['监测户', '本月新纳入', '本月风险消除', '待办环节', '两个工作日内到期', '逾期环节', '走访完成率']) await visible(page.getByText(label, { exact: true }).first());
    await visible(page.getByTestId('figure-monitored'));
    await hasText(page.getByTestId('dashboard-table'), '统景镇');
    await visible(page.getByTestId('dashboard-chart').locator('svg').first());
    expect(await page.getByTestId('dashboard').textContent()).not.toMatch(/monitored|openSteps|undefined|NaN/);
    await page.mouse.move(0, 0); // no chart tooltip in the picture
    await shot(page, 'dashboard-desktop');
    // The month's report downloads as a workbook named in Chinese.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('monthly-report').click()]);
    expect(download.suggestedFilename()).toBe(`月度监测报表_${TODAY.slice(0, 7)}.xlsx`);
    // The open steps figure opens the step list with the same filter.
    await page.getByTestId('figure-openSteps').click();
    await page.waitForURL(/#\/steps\?/);
    expect(decodeURIComponent(page.url())).toContain('"status":"open"');

    const phone = await newPage(PHONE, true);
    await login(phone, SUPERVISOR);
    await visible(phone.getByTestId('figure-overdueSteps'));
    await hasText(phone.getByTestId('dashboard-table'), '统景镇');
    await shot(phone, 'dashboard-phone');
    await expectNoSidewaysScroll(phone);
  });

  it('a supervisor sees an overdue step on the dashboard and opens its case', async () => {
    // Another case whose home verification (PT2S in the short policy) is left open until overdue.
    const lateHousehold = await newHousehold(randomName('逾期'));
    const started = await t.call(CADRE, {
      method: 'POST',
      url: '/api/processes',
      payload: { type: 'identification', input: { householdId: lateHousehold, channel: 'self_report', category: 'unstable', riskTypes: ['illness'], description: '逾期督办测试' } },
    });
    expect(started.statusCode, started.body).toBe(201);
    const lateId = started.json().id as string;
    await expect
      .poll(async () => (await t.call(SUPERVISOR, { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(JSON.stringify({ overdue: true, processId: lateId }))}` })).json().length, {
        timeout: 30_000,
        interval: 500,
      })
      .toBeGreaterThan(0);

    const page = await newPage(DESKTOP);
    await login(page, SUPERVISOR);
    await page.getByRole('menuitem', { name: '逾期督办' }).click();
    await hasText(page.getByTestId('overdue-total'), '逾期未办环节共');
    await hasText(page.getByTestId('overdue-summary'), '统景镇');
    // 办理概况: open, due-soon and overdue steps by town.
    await hasText(page.getByTestId('step-summary'), '统景镇');
    await hasText(page.getByTestId('step-summary'), '即将到期');
    await visible(page.getByTestId('overdue-chart').locator('svg').first());
    const row = page.getByTestId('overdue-list').locator('tr', { hasText: '入户核实' }).first();
    await visible(row);
    await hasText(row.getByTestId('due-chip'), '逾期');
    await page.getByTestId('group-processType').click();
    await hasText(page.getByTestId('overdue-summary'), '监测对象认定');
    await page.getByTestId('group-town').click();
    await shot(page, 'overdue-desktop');

    // Click through to a case.
    await row.click();
    await page.waitForURL(/#\/processes\/.+\/show/);
    await visible(page.getByTestId('open-steps'));
    // The supervisor may cancel (mayDo 'cancel') but not complete a village step.
    await visible(page.getByTestId('cancel-case'));
    await hasText(page.getByTestId('waiting-for').first(), '村干部');

    const phone = await newPage(PHONE, true);
    await login(phone, SUPERVISOR);
    await phone.goto(`${base}/#/overdue`);
    await hasText(phone.getByTestId('overdue-total'), '逾期未办环节共');
    await hasText(phone.getByTestId('overdue-summary'), '最长逾期');
    await shot(phone, 'overdue-phone');
    await expectNoSidewaysScroll(phone);
  });

  it('a supervisor sends a 督办 from the overdue list, then reads the scores and records a 约谈 (desktop and phone)', async () => {
    const page = await newPage(DESKTOP);
    await login(page, SUPERVISOR);
    await visible(page.getByTestId('monthly-report-print'));
    await page.getByRole('menuitem', { name: '逾期督办' }).click();
    const row = page.getByTestId('overdue-list').locator('tr', { hasText: '入户核实' }).first();
    await visible(row);
    await row.getByTestId('supervise-step').click();
    const dialog = page.getByTestId('supervise-dialog');
    await hasText(dialog, '督办对象：统景镇');
    await shot(page, 'supervise-dialog-desktop');
    await page.getByTestId('supervise-send').click();
    await expect.poll(() => decodeURIComponent(page.url()), { timeout: 15_000 }).toContain('supervisionNotice');
    await visible(page.getByText('督办反馈（镇）').first());

    await page.getByRole('menuitem', { name: '督办与考核' }).click();
    await hasText(page.getByTestId('scores-formula'), '按期办结率 × 60');
    await hasText(page.getByTestId('scores-town'), '统景镇');
    await page.getByTestId('record-target').fill('统景镇人民政府');
    await page.getByTestId('record-reason').fill('入户核实逾期未办');
    await page.getByTestId('record-measure').fill('约谈提醒分管负责人');
    await page.getByTestId('record-save').click();
    await hasText(page.getByTestId('records'), '统景镇人民政府');
    expect(await page.locator('main').textContent()).not.toMatch(/undefined|NaN|talk\b/);
    await shot(page, 'supervision-desktop');

    const phone = await newPage(PHONE, true);
    await login(phone, SUPERVISOR);
    await phone.goto(phone.url().replace(/#.*$/, '#/supervision'));
    await hasText(phone.getByTestId('scores-formula'), '按期办结率 × 60');
    await hasText(phone.getByTestId('scores-town'), '统景镇');
    await hasText(phone.getByTestId('records'), '统景镇人民政府');
    // The secretaries' 遍访 (plan item 4), a card per secretary at phone width.
    await hasText(phone.getByTestId('secretary-visits'), '镇党委书记');
    await hasText(phone.getByTestId('secretary-visits'), '驻村第一书记');
    await hasText(phone.getByTestId('secretary-visits'), '覆盖率');
    await expectNoSidewaysScroll(phone);
    await shot(phone, 'supervision-phone');
  });

  it("a town officer reads its own score's card with the formula and the 约谈/问责 records of its town (desktop and phone)", async () => {
    // A 约谈 the district recorded about one of 统景镇's cases.
    const household = await newHousehold(randomName('约谈'));
    const started = await t.call(CADRE, {
      method: 'POST',
      url: '/api/processes',
      payload: { type: 'identification', input: { householdId: household, channel: 'self_report', category: 'unstable', riskTypes: ['illness'], description: '约谈记录测试' } },
    });
    expect(started.statusCode, started.body).toBe(201);
    const target = randomName('统景镇农业服务中心');
    const recorded = await t.call(SUPERVISOR, {
      method: 'POST',
      url: '/api/accountability',
      payload: { kind: 'talk', target, reason: '监测对象认定进度滞后', decidedOn: TODAY, measure: '约谈提醒', processIds: [started.json().id] },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);

    for (const [viewport, name] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
      const page = await newPage(viewport, name === 'phone');
      await login(page, 'town.tongjing');
      await page.goto(page.url().replace(/#.*$/, '#/supervision'));
      await hasText(page.getByTestId('own-score-town'), '统景镇');
      await hasText(page.getByTestId('scores-formula'), '镇得分 = 按期办结率 × 60');
      await hasText(page.getByTestId('own-score-town'), '走访完成率');
      await hasText(page.getByTestId('records'), target);
      await hasText(page.getByTestId('records'), '督办记录');
      expect(await page.getByTestId('record-form').count()).toBe(0);
      expect(await page.getByTestId('scores-department').count()).toBe(0);
      // Their town's secretaries' 遍访 only: 统景镇's, not 古路镇's.
      await hasText(page.getByTestId('secretary-visits'), '李明华');
      expect(await page.getByTestId('secretary-visits').textContent()).not.toContain('刘建国');
      await expectPlainLanguage(page);
      if (name === 'phone') await expectNoSidewaysScroll(page);
      await shot(page, `supervision-town-${name}`);
    }
  });

  it('an admin creates an API key, sees it once, finds it in the list and revokes it; the audit log shows the logins', async () => {
    const keyName = randomName('接口测试');
    const page = await newPage(DESKTOP);
    await login(page, 'admin');
    await page.getByRole('menuitem', { name: 'API 密钥' }).click();
    await page.getByRole('link', { name: '新建' }).click();
    await page.locator('input[name="name"]').fill(keyName);
    await page.locator('input[name="scopes"]').click();
    await page.getByRole('option', { name: /部门筛查预警推送/ }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '保存' }).click();

    // The key, once, with a warning and a copy button.
    const dialog = page.getByTestId('api-key-dialog');
    await visible(dialog);
    await hasText(dialog, '无法再次查看');
    await visible(dialog.getByTestId('copy-api-key'));
    const secret = ((await page.getByTestId('api-key-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^ffk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    await shot(page, 'api-key-created-desktop');
    await page.getByTestId('api-key-done').click();

    // In the list by its prefix only; never again the secret.
    const id = secret.slice(4, 16);
    await page.waitForURL(/#\/api-keys$/);
    const row = page.locator('tr', { hasText: keyName });
    await visible(row);
    await hasText(row, secret.slice(0, 21));
    expect(await page.content()).not.toContain(secret);
    await row.getByTestId(`revoke-${id}`).click();
    await page.getByRole('dialog').getByRole('button', { name: '吊销' }).click();
    await hasText(page.locator('tr', { hasText: keyName }), '已吊销');
    await shot(page, 'api-keys-desktop');

    // 审计日志: the logins of this run, filtered by action.
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.locator('input[name="action"]').fill('login');
    await visible(page.locator('tr', { hasText: '系统管理员（admin）' }).filter({ hasText: 'login' }));
    await shot(page, 'audit-desktop');
  });

  it('an admin registers a village at phone width (a second time is refused on the form); a household shows its housing history', async () => {
    const village = randomName('测试村');
    const page = await newPage(PHONE, true);
    await login(page, 'admin');
    await page.goto(`${base}/#/villages`);
    await hasText(page.getByTestId('town-villages').filter({ hasText: '统景镇' }), '荣光村');
    await page.goto(`${base}/#/villages/create`);
    const register = async () => {
      await page.getByRole('combobox', { name: /镇/ }).fill('统景镇');
      await page.getByRole('option', { name: '统景镇', exact: true }).click();
      await page.getByRole('textbox', { name: /村名/ }).fill(village);
      await page.getByRole('button', { name: '保存' }).click();
    };
    await register();
    await page.waitForURL(/#\/villages$/);
    await hasText(page.getByTestId('town-villages').filter({ hasText: '统景镇' }), village);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
    await shot(page, 'villages-phone');
    await page.goto(`${base}/#/villages/create`);
    await register();
    await hasText(page.getByTestId('form-failure'), `统景镇${village} 已登记`);
    await visible(page.getByText('该镇已登记同名村庄'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
    await shot(page, 'village-create-phone');

    await page.goto(`${base}/#/households/H00000001/show`);
    await hasText(page.getByTestId('housing-history'), '住房安全状况');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
  });

  it('a town officer names the contact cadre of a 脱贫户 at phone width; its members show in Chinese', async () => {
    const id = await newHousehold(randomName('包户'));
    const head = (await t.call(CADRE, { method: 'GET', url: `/api/households/${id}` })).json();
    const first17 = `50011220${String(10 + Math.floor(Math.random() * 9))}0301${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
    const put = await t.call(CADRE, {
      method: 'PUT',
      url: `/api/households/${id}/members`,
      payload: { members: [{ name: head.headName, idNumber: head.idNumber, relation: 'head' }, { name: '包小明', idNumber: first17 + idCheckChar(first17), relation: 'child', student: true, disabilityGrade: 2, labourCapacity: 'none' }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const page = await newPage(PHONE, true);
    await login(page, 'town.tongjing');
    await page.goto(`${base}/#/households/${id}/show`);
    await hasText(page.getByTestId('household-members'), '包小明');
    await hasText(page.getByTestId('household-members'), '子女');
    await hasText(page.getByTestId('household-members'), '在校生 · 残疾2级 · 无劳动能力 · 已参保');
    await hasText(page.getByTestId('contact-cadre'), '尚未确定包户干部');
    await page.getByRole('button', { name: '确定包户干部' }).click();
    await page.getByRole('combobox', { name: '选择干部' }).fill('张晓燕');
    await page.getByRole('option', { name: /张晓燕/ }).click();
    await page.getByRole('button', { name: '保存' }).click();
    await hasText(page.getByTestId('contact-cadre'), '张晓燕（');
    await hasText(page.getByTestId('contact-cadre'), '陈立新：— → 张晓燕');
    await expectPlainChinese(page);
    await expectNoSidewaysScroll(page);
    await shot(page, 'household-members-contact-cadre-phone');
  });

  it('an admin sees a login locked after failed logins and lifts the lock', async () => {
    const attempt = (password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'jiaowei', password } });
    for (let i = 0; i < 5; i++) await attempt(`wrong-${i}`);
    expect((await attempt(DEMO_PASSWORD)).statusCode).toBe(429);
    const page = await newPage(DESKTOP);
    await login(page, 'admin');
    await page.goto(`${base}/#/users/jiaowei`);
    await hasText(page.getByRole('alert').filter({ hasText: '已锁定' }), '多次登录失败，该账号已锁定至');
    await shot(page, 'user-locked-desktop');
    await page.getByTestId('unlock-user').click();
    await visible(page.getByText('已解除登录锁定'));
    await page.getByTestId('unlock-user').waitFor({ state: 'detached' });
    expect((await attempt(DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('an admin creates a user with a first password, then resets it; the user logs in with it and must set their own', async () => {
    const page = await newPage(PHONE, true);
    await login(page, 'admin');
    await page.goto(`${base}/#/users/create`);
    await page.locator('input[name="username"]').fill('cadre.e2e1');
    await page.locator('input[name="name"]').fill('赵新');
    await page.getByLabel('村干部').check();
    // The place is picked from the registered villages: the village list follows the town.
    await page.getByRole('combobox', { name: '镇', exact: true }).click();
    await page.getByRole('option', { name: '统景镇', exact: true }).click();
    await page.getByRole('combobox', { name: '村', exact: true }).click();
    expect(await page.getByRole('option').allTextContents()).not.toContain('吉星村'); // a village of 古路镇
    await page.getByRole('option', { name: '荣光村', exact: true }).click();
    await page.locator('input[name="password"]').fill('first-pass-1');
    await shot(page, 'user-create-phone');
    await expectNoSidewaysScroll(page);
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/#\/users(\?|$)/);
    const signIn = (password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'cadre.e2e1', password } });
    expect((await signIn('first-pass-1')).statusCode).toBe(200);

    await page.goto(`${base}/#/users/cadre.e2e1`);
    await page.getByTestId('reset-password').click();
    await page.getByTestId('new-password').fill('second-pass-2');
    await page.getByTestId('confirm-reset-password').click();
    await visible(page.getByText('密码已重置'));
    expect((await signIn('first-pass-1')).statusCode).toBe(401);

    // The user logs in with the password the admin set: the console asks for their own first.
    const own = await newPage(PHONE, true);
    await own.goto(`${base}/`);
    await own.locator('input[name="username"]').fill('cadre.e2e1');
    await own.locator('input[name="password"]').fill('second-pass-2');
    await own.locator('button[type="submit"]').click();
    await visible(own.getByRole('heading', { name: '修改密码' }));
    expect(await own.getByRole('menuitem', { name: '我的待办' }).count()).toBe(0);
    await own.getByLabel('当前密码').fill('wrong-pass-0');
    await own.getByLabel('新密码', { exact: true }).fill('my-own-pass-3');
    await own.getByLabel('再次输入新密码').fill('my-own-pass-3');
    await own.getByTestId('change-password').click();
    await visible(own.getByText('当前密码不正确')); // the server's refusal, under its field
    await own.getByLabel('当前密码').fill('second-pass-2');
    await shot(own, 'password-change-phone');
    await expectNoSidewaysScroll(own);
    await own.getByTestId('change-password').click();
    await visible(own.getByText('密码已修改'));
    await gone(own.getByRole('heading', { name: '修改密码' }));
    await visible(own.locator('header')); // the console itself, with its app bar
    expect((await signIn('second-pass-2')).statusCode).toBe(401);
    expect((await signIn('my-own-pass-3')).statusCode).toBe(200);
  });

  // Last: it changes the rules the app's new cases follow.
  it('a supervisor reviews an admin’s policy draft in words and activates it; the admin sees it in force on a phone', async () => {
    const values = (await t.call('admin', { method: 'GET', url: '/api/policy' })).json().values;
    values.identification.noticeMinimum = 'P7D';
    values.helperAssignment.elimination.noticeMinimum = 'P5D';
    const drafted = await t.call('admin', { method: 'POST', url: '/api/policy/versions', payload: { values, effectiveFrom: TODAY, note: '公示期延长到7天（端到端测试）' } });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const name = drafted.json().name as string;

    const page = await newPage(DESKTOP);
    await login(page, SUPERVISOR);
    await page.getByRole('menuitem', { name: '政策版本' }).click();
    const row = page.locator('tr', { hasText: '公示期延长到7天' });
    await hasText(row, '草稿');
    await row.click();
    await hasText(page.getByTestId('policy-changes'), '监测对象认定 · 公示最短期限：2 秒 → 7 天');
    await shot(page, 'policy-version-desktop');
    await page.getByTestId('activate-policy').click();
    await hasText(page.getByTestId('policy-status'), '现行');
    await visible(page.getByText('这是现行版本。'));

    // A cadre's case started now runs under it: ending the notice on its first day is refused, naming 7 days.
    const hh = await newHousehold(randomName('公示'));
    const started = await t.call(CADRE, { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId: hh, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '公示期测试' } } });
    expect(started.statusCode, started.body).toBe(201);
    const at = (key: string) => `/api/processes/${encodeURIComponent(started.json().id)}/steps/${key}`;
    const guarantees = { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' };
    expect((await t.call(CADRE, { method: 'POST', url: at('homeVerification'), payload: { verifiedOn: TODAY, coVerifierId: 'cadre.rongguang2', memberCount: 4, perCapitaIncome: 5600, guarantees, findings: '属实' } })).statusCode).toBe(200);
    expect((await t.call('cadre.rongguang2', { method: 'POST', url: at('villageReview'), payload: { heldOn: TODAY, participants: 20, result: 'pass', minutes: '同意' } })).statusCode).toBe(200);
    const early = await t.call(CADRE, { method: 'POST', url: at('publicNotice'), payload: { postedOn: TODAY, endedOn: TODAY, location: '村务公开栏', photos: [await photoId(t, CADRE)] } });
    expect(early.statusCode, early.body).toBe(422);
    expect(early.json().error.message).toContain('公示期不少于7 天');

    const phone = await newPage(PHONE, true);
    await login(phone, 'admin');
    await phone.goto(`${base}/#/policy-versions`);
    await visible(phone.getByText(`${name} · 现行`));
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
    await shot(phone, 'policy-versions-phone');
  });

  it("an admin enters next year's official holidays on a phone: the year turns from provisional to official", async () => {
    const next = Number(TODAY.slice(0, 4)) + 1;
    const phone = await newPage(PHONE, true);
    await login(phone, 'admin');
    await phone.goto(`${base}/#/calendar`);
    await phone.getByRole('button', { name: '下一年' }).click();
    await hasText(phone.getByTestId('calendar-page'), `${next} 年`);
    await visible(phone.getByText('暂定', { exact: true }));
    await phone.getByRole('button', { name: '录入官方安排' }).click();
    await phone.getByLabel('依据文件').fill(`国务院办公厅关于${next}年部分节假日安排的通知（端到端测试）`);
    await phone.getByTestId('holiday-lines').fill(`${next}-01-01..${next}-01-03 元旦\n${next}-02-30 春节`);
    await phone.getByTestId('workday-lines').fill('');
    await phone.getByRole('button', { name: '保存' }).click();
    await shot(phone, 'calendar-entry-phone');
    await hasText(phone.getByTestId('entry-problems'), '第 2 行看不懂');
    await phone.getByTestId('holiday-lines').fill(`${next}-01-01..${next}-01-03 元旦`);
    await phone.getByRole('button', { name: '保存' }).click();
    await visible(phone.getByText('官方安排', { exact: true }));
    await hasText(phone.getByTestId('calendar-page'), '放假 3 天，调休上班 0 天');
    expect(await phone.getByTestId('month-1').locator('[data-kind="holiday"]').count()).toBe(3);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
    await shot(phone, 'calendar-phone');
    expect((await t.call('cadre.rongguang', { method: 'GET', url: `/api/calendar/${next}` })).json()).toMatchObject({ official: true, holidays: [{ date: `${next}-01-01`, name: '元旦' }, { date: `${next}-01-02`, name: '元旦' }, { date: `${next}-01-03`, name: '元旦' }] });
  });

  it("a supervisor follows the year's campaign on a phone: visits and fixes as progress bars, by town", async () => {
    // The campaign's rows in this app's read model (the workflows write the same; the campaign itself is
    // exercised in tests/api/campaign.test.ts on the shared Temporal server, once a year).
    const year = Number(TODAY.slice(0, 4));
    const em = t.db.em();
    const at = new Date();
    const kase = { runId: null, subject: '', householdId: null, departments: [], startedAt: at, closedAt: null, dueAt: null, dueDate: null, overdueSince: null, outcome: null, outcomeReasons: null, revision: 1 };
    em.create(Process, { ...kase, id: `campaign:${year}`, type: 'campaign', status: 'running', stage: 'visits', title: `${year} 年大走访`, town: '', village: '' });
    em.create(Process, { ...kase, id: `rectification:${year}:H00000001:education`, type: 'rectification', status: 'running', stage: 'fix', title: '整改', town: '统景镇', village: '荣光村' });
    const visit = (n: number, status: string, late: boolean) =>
      em.create(Step, {
        id: `campaignVisit:${year}:H0000000${n}/campaignVisit-1`, processId: `campaignVisit:${year}:H0000000${n}`, stepId: 'campaignVisit-1', processType: 'campaign', stepKey: 'campaignVisit',
        titleZh: '入户走访', titleEn: 'Visit', role: 'village_cadre', scope: 'team', department: null, assignee: null, team: null, town: '统景镇', village: '荣光村', householdId: `H0000000${n}`,
        openedAt: at, dueAt: at, dueDate: TODAY, provisional: false, escalatedAt: late ? at : null, status, completedAt: status === 'done' ? at : null, completedBy: null, completedByName: null,
      });
    visit(1, 'done', false);
    visit(2, 'done', false);
    visit(3, 'open', true);
    visit(4, 'open', false);
    await em.flush();

    const phone = await newPage(PHONE, true);
    await login(phone, SUPERVISOR);
    await phone.goto(`${base}/#/campaign`);
    await hasText(phone.getByTestId('campaign-town-统景镇'), '2 / 4（50%）');
    await hasText(phone.getByTestId('campaign-town-统景镇'), '走访逾期 1 户');
    await hasText(phone.getByTestId('campaign-town-统景镇'), '义务教育有保障（无辍学） 1');
    await hasText(phone.getByTestId('campaign-district'), '0 / 1（0%）');
    expect(await phone.getByTestId('campaign-progress').textContent()).not.toMatch(/education|campaignVisit|undefined|NaN/);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
    await shot(phone, 'campaign-progress-phone');
  });

  it('an admin drafts a policy version in the console from the values in force; its page shows the change in words', async () => {
    const page = await newPage(DESKTOP);
    await login(page, 'admin');
    await page.goto(`${base}/#/policy-versions`);
    await page.getByRole('link', { name: '起草政策版本' }).click();
    // Durations are a number and a unit (天/小时/分钟/秒), not ISO text.
    const notice = page.locator('#policy_values_identification_noticeMinimum');
    await visible(notice);
    const before = `${await notice.inputValue()} ${await page.getByTestId('policy_values_identification_noticeMinimum-unit').locator('option:checked').textContent()}`;
    await notice.fill('8');
    await page.getByTestId('policy_values_identification_noticeMinimum-unit').selectOption('D');
    // The test policy's seconds-long notices are below the plan's 5 days: a draft must meet it (the earlier test's version does).
    await page.locator('#policy_values_helperAssignment_elimination_noticeMinimum').fill('5');
    await page.getByTestId('policy_values_helperAssignment_elimination_noticeMinimum-unit').selectOption('D');
    await page.locator('#policy_note').fill('公示期改为8天（端到端测试）');
    await shot(page, 'policy-draft-desktop');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/#\/policy-versions\/[^/]+\/show/);
    await hasText(page.getByTestId('policy-changes'), `公示最短期限：${before}`);
    await hasText(page.getByTestId('policy-changes'), '→ 8 天');
    await hasText(page.getByTestId('policy-status'), '草稿');
    // Rolling back: a draft from the first version starts with its values.
    const v1 = ((await t.call('admin', { method: 'GET', url: '/api/policy/versions' })).json() as { id: string; version: number }[]).find((v) => v.version === 1)!;
    await page.goto(`${base}/#/policy-versions/${v1.id}/show`);
    await page.getByTestId('draft-from-version').click();
    await visible(page.getByText('政策参数（以 v1 为底稿）'));
    expect(await notice.inputValue()).toBe('2');
    expect(await page.getByTestId('policy_values_identification_noticeMinimum-unit').locator('option:checked').textContent()).toBe('秒');
  });

  it('raised no uncaught error in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
