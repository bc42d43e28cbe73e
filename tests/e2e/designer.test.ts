/**
 * 流程设计 end to end in Chromium (issue 18), against the real app with the designed-process engine: an
 * administrator draws start → 村级核实 (a village cadre, 5 working days, a form) → an exclusive gateway →
 * 镇级审批 or 补充材料 → end in the bpmn-js modeler — the first task dragged from the palette, the rest
 * appended from the context pad — sets role, deadline, form and the gateway's condition and default path
 * in our properties panel, designs the start form and the review form (previewed with the console's own
 * renderer), saves (the server's refusal of a task without a role is outlined on the diagram, in
 * Chinese), saves again and publishes. A village cadre on a phone (390 px) starts the new process and
 * completes 村级核实 with 同意; the town officer completes 镇级审批 and the case is 已办结. Screenshots go
 * to tests/artifacts/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(ROOT, 'tests', 'artifacts', 'screenshots');
const POLICY = join(ROOT, 'tests', 'fixtures', 'policy-short.yaml');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const CADRE = 'cadre.rongguang';
const TOWN = 'town.tongjing';
const TITLE = '临时救助申请（端到端）';
const KEY = `e2eRelief${Date.now().toString(36)}`;

const visible = (l: Locator, timeout = 30_000) => l.first().waitFor({ state: 'visible', timeout });
const hasText = (l: Locator, text: string, timeout = 30_000) => expect.poll(async () => (await l.first().textContent()) ?? '', { timeout }).toContain(text);

let t: TestApp;
let base: string;
let browser: Browser;
const pageErrors: string[] = [];

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
  p.on('pageerror', (e) => pageErrors.push(e.message));
  return p;
}

async function login(p: Page, username: string) {
  await p.goto(`${base}/`);
  await p.locator('input[name="username"]').fill(username);
  await p.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await p.locator('button[type="submit"]').click();
  await p.waitForURL((url) => !url.hash.includes('login'));
}

async function shot(p: Page, name: string) {
  await p.locator('.MuiSnackbar-root').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => undefined);
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Nothing on the page is wider than the phone (the canvas scrolls inside itself, never the page). */
async function fitsWidth(p: Page) {
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

/** The designer's pieces. */
function designer(p: Page) {
  const panel = p.getByTestId('properties-panel');
  const shape = (id: string) => p.locator(`.djs-element[data-element-id="${id}"]`);
  /** Types into a field that writes on leaving it (CommitTextField). */
  const commit = async (testId: string, text: string) => {
    const input = panel.getByTestId(testId);
    await input.fill(text);
    await input.press('Tab');
  };
  return {
    panel,
    shape,
    commit,
    select: (id: string) => shape(id).click(),
    /** A context pad action of the selected element (append a task, a gateway, an end event). */
    pad: (action: string) => p.locator(`.djs-context-pad .entry[data-action="${action}"]`).click(),
    /** The selected task as a user task with its id, name, role, deadline and form. */
    async userTask(id: string, name: string, role: string, form: string, due?: { kind: string; days: string }) {
      await panel.getByTestId('task-type').selectOption({ label: '人工办理（由某个角色在待办中办理）' });
      await commit('element-id', id);
      await visible(shape(id));
      await commit('element-name', name);
      if (role) await panel.getByTestId('task-role').selectOption({ label: role });
      if (due) {
        await panel.getByTestId('due-kind').selectOption({ label: due.kind });
        await panel.getByTestId('due-days').fill(due.days);
      }
      await panel.getByTestId('task-form').selectOption({ label: form });
    },
  };
}

describe('流程设计 in the console', { timeout: 300_000 }, () => {
  it('an admin models a three-task process with a gateway, designs its forms, saves and publishes it', async () => {
    const p = await page(DESKTOP);
    await login(p, 'admin');
    await p.getByRole('menuitem', { name: '流程设计' }).click();
    await p.getByRole('link', { name: '新建流程' }).click();
    await visible(p.getByTestId('bpmn-canvas').locator('.djs-palette'));
    const d = designer(p);

    await p.getByTestId('definition-title-zh').fill(TITLE);
    await p.getByTestId('definition-key').fill(KEY);

    // Two forms: the start form (a household and an amount) and the review form (a choice and a note).
    const forms = p.getByTestId('form-designer');
    await forms.getByTestId('add-form').click();
    const apply = forms.getByTestId('form-form1');
    await apply.getByTestId('form-title').fill('救助申请');
    await apply.getByTestId('form-key').fill('apply');
    const applyForm = forms.getByTestId('form-apply');
    await applyForm.getByTestId('add-field').click();
    await applyForm.getByTestId('field-title').nth(0).fill('申请农户');
    await applyForm.getByTestId('field-type').nth(0).selectOption({ label: '农户' });
    await applyForm.getByTestId('add-field').click();
    await applyForm.getByTestId('field-title').nth(1).fill('救助金额');
    await applyForm.getByTestId('field-key').nth(1).fill('amount');
    await applyForm.getByTestId('field-type').nth(1).selectOption({ label: '金额（元）' });
    await forms.getByTestId('add-form').click();
    const review = forms.getByTestId('form-form2');
    await review.getByTestId('form-title').fill('核实意见');
    await review.getByTestId('form-key').fill('review');
    const reviewForm = forms.getByTestId('form-review');
    await reviewForm.getByTestId('add-field').click();
    await reviewForm.getByTestId('field-title').fill('结论');
    await reviewForm.getByTestId('field-key').fill('decision');
    await reviewForm.getByTestId('field-type').selectOption({ label: '单选' });
    await reviewForm.getByTestId('field-options').fill('同意\n不同意');
    // The preview is the console's own form: the options as radio buttons.
    await reviewForm.getByRole('button', { name: '预览' }).click();
    await visible(reviewForm.getByTestId('form-preview').getByLabel('不同意'));
    await p.getByTestId('definition-start-form').selectOption({ label: '救助申请' });

    // The first task dragged from the palette to the right of the start event, then connected to it.
    await p.getByTestId('bpmn-canvas').scrollIntoViewIfNeeded();
    const start = await d.shape('StartEvent_1').boundingBox();
    const entry = await p.locator('.djs-palette .entry[data-action="create.task"]').boundingBox();
    await p.mouse.move(entry!.x + entry!.width / 2, entry!.y + entry!.height / 2);
    await p.mouse.down();
    await p.mouse.move(start!.x + 150, start!.y + 18, { steps: 8 });
    await p.mouse.move(start!.x + 200, start!.y + 18, { steps: 4 });
    await p.mouse.up();
    await d.userTask('verify', '村级核实', '村干部', '核实意见', { kind: '若干个工作日', days: '5' });
    await d.select('StartEvent_1');
    const connect = await p.locator('.djs-context-pad .entry[data-action="connect"]').boundingBox();
    const verify = await d.shape('verify').boundingBox();
    await p.mouse.move(connect!.x + connect!.width / 2, connect!.y + connect!.height / 2);
    await p.mouse.down();
    await p.mouse.move(verify!.x + verify!.width / 2, verify!.y + verify!.height / 2, { steps: 8 });
    await p.mouse.up();
    expect(await p.locator('.djs-connection').count()).toBe(1);

    // Appended from the context pad: the gateway, its two tasks, an end event after each.
    await d.select('verify');
    await d.pad('append.gateway');
    await d.commit('element-id', 'decide');
    await d.commit('element-name', '核实结论');
    await d.pad('append.append-task');
    await d.userTask('townApprove', '镇级审批', '镇工作组', '核实意见', { kind: '若干个自然日', days: '10' });
    await d.pad('append.end-event');
    await d.select('decide');
    await d.pad('append.append-task');
    await d.userTask('supplement', '补充材料', '', '核实意见'); // no role yet: the server refuses it
    await d.pad('append.end-event');

    // The gateway's ways out: 同意 goes to the town, anything else is the default.
    await d.select('decide');
    await d.panel.getByTestId('gateway-branch').filter({ hasText: '镇级审批' }).click();
    await d.commit('branch-condition', 'verify.decision = "同意"');
    await d.select('decide');
    await d.panel.getByTestId('gateway-branch').filter({ hasText: '补充材料' }).click();
    await d.panel.getByLabel(/默认路径/).check();
    await expect.poll(() => d.panel.getByTestId('branch-condition').isDisabled()).toBe(true);

    // Saved without the role: the server's reason beside the diagram, the task outlined.
    await p.getByTestId('definition-save').click();
    const problems = p.getByTestId('definition-problems');
    await visible(problems);
    await hasText(problems, '补充材料');
    await expect.poll(() => d.shape('supplement').getAttribute('class')).toContain('ff-problem');
    expect(await problems.textContent()).not.toMatch(/ff:|userTask|bpmn:/);
    await shot(p, 'designer-problems-desktop');

    await problems.getByRole('button', { name: '补充材料' }).click();
    await d.panel.getByTestId('task-role').selectOption({ label: '村干部' });
    await p.getByTestId('definition-save').click();
    await p.waitForURL(/#\/process-definitions\/.+\/show/);
    await hasText(p.getByTestId('definition-status'), '草稿');
    await visible(p.getByTestId('bpmn-canvas').locator('.djs-element[data-element-id="supplement"]'));
    await p.getByTestId('definition-publish').click();
    await hasText(p.getByTestId('definition-status'), '已发布');
    await hasText(p.getByTestId('definition-versions'), '第 1 版');
    await shot(p, 'designer-desktop');

    // The designer on a phone: the panel below the canvas, nothing wider than the screen.
    const phone = await page(PHONE, true);
    await login(phone, 'admin');
    await phone.goto(p.url());
    await visible(phone.getByTestId('bpmn-canvas').locator('.djs-element[data-element-id="verify"]'));
    await fitsWidth(phone);
    const canvasBox = await phone.getByTestId('bpmn-canvas').boundingBox();
    const panelBox = await phone.getByTestId('properties-panel').or(phone.getByText('点击图中的元素设置它的属性', { exact: false })).first().boundingBox();
    expect(panelBox!.y).toBeGreaterThan(canvasBox!.y + canvasBox!.height - 1);
    await shot(phone, 'designer-phone');
    expect(pageErrors).toEqual([]);
  });

  it('a cadre on a phone starts the designed process and a town officer completes it', async () => {
    const households = (await t.call('admin', { method: 'GET', url: `/api/households?filter=${encodeURIComponent(JSON.stringify({ village: '荣光村' }))}&range=[0,0]` })).json() as { id: string; headName: string }[];
    const household = households[0];

    const phone = await page(PHONE, true);
    await login(phone, CADRE);
    await phone.goto(`${base}/#/processes/create`);
    await phone.getByRole('radio', { name: new RegExp(`^${TITLE.replace(/[()（）]/g, '.')}`) }).check();
    await phone.locator('#start_householdId').fill(household.headName);
    await phone.getByRole('option', { name: new RegExp(household.headName) }).first().click();
    await phone.locator('#start_amount').fill('3000');
    await phone.getByRole('button', { name: '发起' }).click();
    await phone.waitForURL(/#\/processes\/.+\/show/);
    const caseUrl = phone.url();
    const verify = phone.getByTestId('step-verify');
    await visible(verify);
    await hasText(verify, '村级核实');
    await verify.getByLabel('同意', { exact: true }).check();
    await verify.getByRole('button', { name: '提交' }).click();
    await fitsWidth(phone);
    await shot(phone, 'designed-case-phone');

    const town = await page(DESKTOP);
    await login(town, TOWN);
    await town.goto(caseUrl);
    const approve = town.getByTestId('step-townApprove');
    await visible(approve);
    await approve.getByLabel('同意', { exact: true }).check();
    await approve.getByRole('button', { name: '提交' }).click();
    await hasText(town.getByTestId('process-title').locator('xpath=..'), '已办结');
    await shot(town, 'designed-case-completed');
    expect(pageErrors).toEqual([]);
  });
});
