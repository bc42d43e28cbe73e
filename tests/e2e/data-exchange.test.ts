/**
 * 数据比对 in Chromium at phone width (390 px): a 区残联 officer uploads an Excel list, sees the batch with its
 * warning, the village cadre confirms the warning on a phone through the case's step form (from the inbox),
 * and the officer downloads the feedback workbook. Screenshots go to tests/artifacts/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app';
import { RONGGUANG, eventually, newHousehold } from '../helpers/integrations';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(ROOT, 'tests', 'artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let base: string;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestApp({ policyFile: join(ROOT, 'tests', 'fixtures', 'policy-short.yaml') });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--lang=zh-CN'] });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('数据比对 in the console', { timeout: 240_000 }, () => {
  it('a department officer uploads an Excel list on a phone and downloads the feedback after the cadre confirmed', async () => {
    const hh = await newHousehold(t, RONGGUANG);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('名单');
    sheet.addRow(['身份证号', '姓名', '残疾等级']);
    sheet.addRow([hh.idNumber, '测试户', 2]);
    const file = join(tmpdir(), `残联名单-${hh.id}.xlsx`);
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${base}/`);
    await page.locator('input[name="username"]').fill('canlian');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => !url.hash.includes('login'));

    await page.goto(`${base}/#/data-exchange-batches/create`);
    await page.getByLabel('名单类型（如：新办残疾证）').fill('新办残疾证');
    // A list with a bad cell is refused naming its row and column, in Chinese only.
    await page.locator('[data-testid="exchange-file"]').setInputFiles({ name: '残联名单.csv', mimeType: 'text/csv', buffer: Buffer.from(`身份证号,姓名\n${hh.idNumber},测试户\n12345,张三\n`) });
    await page.getByRole('button', { name: '上传并比对' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: '第 3 行“身份证号”：须为 18 位身份证号，末位可为 X' });
    await refusal.waitFor();
    expect(await refusal.textContent()).not.toMatch(/[A-Za-z]{3,}/);
    await page.locator('[data-testid="exchange-file"]').setInputFiles(file);
    await page.getByRole('button', { name: '上传并比对' }).click();
    await page.waitForURL((url) => /data-exchange-batches\/DX-/.test(url.hash));
    await page.getByText('预警').first().waitFor();
    const batchId = decodeURIComponent(/data-exchange-batches\/([^/]+)/.exec(page.url())![1]);

    // The village cadre confirms the warning on a phone: from the inbox to the case, through its step form.
    await eventually(
      async () => (await t.call('canlian', { method: 'GET', url: `/api/data-exchange/batches/${batchId}/records` })).json()[0],
      (r: any) => !!r?.verificationId,
      30_000,
    );
    const cadreContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
    const phone = await cadreContext.newPage();
    phone.setDefaultTimeout(30_000);
    await phone.goto(`${base}/`);
    await phone.locator('input[name="username"]').fill('cadre.rongguang');
    await phone.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await phone.locator('button[type="submit"]').click();
    await phone.waitForURL((url) => !url.hash.includes('login'));
    // The inbox (the cadre's home page) lists the warning once the batch's workflow has opened it.
    const row = phone.getByTestId('step-row-title').filter({ hasText: '比对预警核实' });
    await eventually(
      async () => {
        await phone.goto(`${base}/#/`);
        return row.first().waitFor({ timeout: 3_000 }).then(() => true, () => false);
      },
      (shown) => shown,
      30_000,
    );
    await row.first().click();
    await phone.waitForURL(/#\/processes\/.+\/show/);
    const form = phone.getByTestId('step-dataVerification');
    await form.waitFor();
    await form.getByText('区残联').first().waitFor(); // the warning's context: who sent it, and what, labelled in words
    expect(await form.innerText()).toMatch(/报送部门[\s\S]*比对对象[\s\S]*预警内容/);
    expect(await form.innerText()).not.toMatch(/department|personName|warning/);
    await form.getByLabel('属实，纳入监测对象认定').check();
    await form.locator('textarea[id$="_reasons"]').fill('入户核实，新办二级残疾证属实');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(391);
    await phone.screenshot({ path: join(SHOTS, 'data-exchange-verification-phone.png'), fullPage: true });
    await form.getByRole('button', { name: '提交' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await phone.locator('body').innerText()).not.toMatch(/dataVerification|identification:|DX-|confirm/);
    await cadreContext.close();

    await page.reload();
    await page.getByText('属实，已转入监测对象认定').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(391);
    expect(await page.locator('body').innerText()).not.toMatch(/identification:|DX-|confirmed|warning/);
    await page.screenshot({ path: join(SHOTS, 'data-exchange-batch-phone.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="exchange-feedback"]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const feedback = new ExcelJS.Workbook();
    await feedback.xlsx.readFile((await download.path())!);
    expect(feedback.worksheets[0].getRow(2).getCell(8).value).toBe('属实，已转入监测对象认定');
    await context.close();
  });
});
