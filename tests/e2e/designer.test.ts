/**
 * 流程设计 end to end in Chromium (issue 18), against the real app with the designed-process engine: an
 * administrator at 1280 px draws start → 村级核实 (a village cadre, 5 working days, a form) → an exclusive
 * gateway → 镇级审批 or 补充材料 → end in the bpmn-js modeler — the first task dragged from the palette and
 * connected with the context pad's connect tool, the rest appended from the context pad — sets role,
 * deadline, form and the gateway's FEEL condition and default path in our properties panel, designs the
 * start form and the review form (previewed with the console's own renderer), saves (the server's refusal
 * of a task without a role is outlined on the diagram, in Chinese), saves again and publishes. The designer
 * is read on a phone (390 px). A village cadre on a phone starts the new process and completes 村级核实
 * with 同意; the town officer completes 镇级审批; the case is 已办结 and its history names both steps and
 * who did them. Each designer screen is scanned for plain Chinese and by axe-core; screenshots go to
 * tests/artifacts/screenshots.
 *
 * Elements are selected by clicking their centre (diagram-js's own shape, `.djs-element[data-element-id]`),
 * and the click counts once the shape shows as selected: diagram-js swallows a click that comes within
 * 400 ms of the end of a drag (its click trap, diagram-js Dragging.js, against the ghost click a drag's
 * mouseup makes), which a person never meets but a test clicking right after drawing a connection does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';
import { PHONE, SHOTS, login, newPage, openConsole } from '../helpers/browser';
import { LATIN_ALLOWED, expectAccessible, expectPlainLanguage } from '../helpers/screen-checks';
import { bpmn, chain, task } from '../helpers/bpmn';
import { RONGGUANG, newHousehold } from '../helpers/integrations';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POLICY = join(ROOT, 'tests', 'fixtures', 'policy-short.yaml');
const DESKTOP = { width: 1280, height: 900 };
const CADRE = 'cadre.rongguang'; // 李明华, 统景镇荣光村
const TOWN = 'town.tongjing';
const TITLE = '临时救助申请（端到端）';
const KEY = `e2eRelief${Date.now().toString(36)}`;

const visible = (l: Locator, timeout = 30_000) => l.first().waitFor({ state: 'visible', timeout });
const hasText = (l: Locator, text: string, timeout = 30_000) => expect.poll(async () => (await l.first().textContent()) ?? '', { timeout }).toContain(text);

/**
 * The designer asks an administrator for identifiers that are Latin by contract (API.md "Designed
 * processes": the process key a client starts it by, element and field ids a condition names) and for
 * conditions in FEEL (the standard's name, like Excel); its hints show examples of each. Those words may
 * show on its screens, nothing else (not a role's code, not an element's generated id).
 */
const DESIGNER_LATIN = new Set([...LATIN_ALLOWED, 'FEEL', 'tempRelief', 'approve', 'decision']);

let t: TestApp;
let base: string;
let browser: Browser;
const pageErrors: string[] = [];
/** The published definition's page (the second test opens it on a phone). */
let definitionUrl = '';

let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ t, base, browser, close } = await openConsole({ policyFile: POLICY }));
});

afterAll(async () => close?.());

async function page(viewport: { width: number; height: number }, phone = false): Promise<Page> {
  const p = await newPage(browser, viewport, phone);
  p.on('pageerror', (e) => pageErrors.push(e.message));
  return p;
}

/** Plain Chinese, axe-core, and the picture (full page). */
async function checkScreen(p: Page, name: string, latin?: ReadonlySet<string>) {
  await p.locator('.MuiSnackbar-root').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => undefined);
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await expectPlainLanguage(p, { allowed: latin });
  await expectAccessible(p);
}

/** Nothing on the page is wider than the phone (the canvas scrolls inside itself, never the page). */
async function fitsWidth(p: Page) {
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
}

/** The saved diagram is shown whole: every shape inside the canvas, right of the palette (not under it). */
async function shownWhole(p: Page) {
  const canvas = p.getByTestId('bpmn-canvas');
  const frame = (await canvas.boundingBox())!;
  const palette = (await canvas.locator('.djs-palette').boundingBox())!;
  const shapes = await canvas.locator('.djs-shape .djs-visual').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(shapes.length).toBeGreaterThan(5);
  for (const box of shapes) {
    expect(box.left).toBeGreaterThanOrEqual(palette.x + palette.width);
    expect(box.right).toBeLessThanOrEqual(frame.x + frame.width);
    expect(box.top).toBeGreaterThanOrEqual(frame.y);
    expect(box.bottom).toBeLessThanOrEqual(frame.y + frame.height);
  }
}

/** The designer's pieces. */
function designer(p: Page) {
  const panel = p.getByTestId('properties-panel');
  const shape = (id: string) => p.locator(`.djs-element[data-element-id="${id}"]`);
  const centre = async (id: string) => {
    const box = (await shape(id).locator('.djs-hit').first().boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
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
    centre,
    /** Clicks the element's centre until diagram-js shows it selected (see the click trap above). */
    async select(id: string) {
      await expect
        .poll(
          async () => {
            await shape(id).locator('.djs-hit').first().click({ timeout: 2_000 });
            return shape(id).evaluate((g) => g.classList.contains('selected'));
          },
          { timeout: 15_000 },
        )
        .toBe(true);
    },
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
    await login(p, base, 'admin');
    await p.getByRole('menuitem', { name: '流程设计' }).click();
    await p.getByRole('link', { name: '新建流程' }).click();
    await visible(p.getByTestId('bpmn-canvas').locator('.djs-palette'));
    const d = designer(p);
    await checkScreen(p, 'designer-new-desktop', DESIGNER_LATIN);

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

    // The first task dragged from the palette to the right of the start event, then connected to it
    // with the start event's connect tool (dragged from the context pad to the task's centre).
    await p.getByTestId('bpmn-canvas').scrollIntoViewIfNeeded();
    const start = await d.centre('StartEvent_1');
    const entry = (await p.locator('.djs-palette .entry[data-action="create.task"]').boundingBox())!;
    await p.mouse.move(entry.x + entry.width / 2, entry.y + entry.height / 2);
    await p.mouse.down();
    await p.mouse.move(start.x + 120, start.y, { steps: 8 });
    await p.mouse.move(start.x + 180, start.y, { steps: 4 });
    await p.mouse.up();
    await d.userTask('verify', '村级核实', '村干部', '核实意见', { kind: '若干个工作日', days: '5' });
    await d.select('StartEvent_1');
    const connect = (await p.locator('.djs-context-pad .entry[data-action="connect"]').boundingBox())!;
    const verify = await d.centre('verify');
    await p.mouse.move(connect.x + connect.width / 2, connect.y + connect.height / 2);
    await p.mouse.down();
    await p.mouse.move(verify.x, verify.y, { steps: 8 });
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
    await hasText(problems, '补充材料：须指定办理角色（村干部、镇工作组、区级部门、区专班之一）');
    await expect.poll(() => d.shape('supplement').getAttribute('class')).toContain('ff-problem');
    await checkScreen(p, 'designer-problems-desktop', DESIGNER_LATIN);
    expect(await problems.textContent()).not.toMatch(/ff:|userTask|bpmn:/);

    await problems.getByRole('button', { name: '补充材料' }).click();
    await d.panel.getByTestId('task-role').selectOption({ label: '村干部' });
    await p.getByTestId('definition-save').click();
    await p.waitForURL(/#\/process-definitions\/.+\/show/);
    await hasText(p.getByTestId('definition-status'), '草稿');
    await visible(d.shape('supplement'));
    await shownWhole(p);
    await p.getByTestId('definition-publish').click();
    await hasText(p.getByTestId('definition-status'), '已发布');
    await hasText(p.getByTestId('definition-versions'), '第 1 版');
    definitionUrl = p.url();
    await d.select('verify');
    await checkScreen(p, 'designer-desktop', DESIGNER_LATIN);
    expect(pageErrors).toEqual([]);
  });

  it('the published definition reads on a phone: the panel below the canvas, nothing wider than the screen', async () => {
    expect(definitionUrl).not.toBe('');
    const phone = await page(PHONE, true);
    await login(phone, base, 'admin');
    await phone.goto(definitionUrl);
    await visible(phone.getByTestId('bpmn-canvas').locator('.djs-element[data-element-id="verify"]'));
    await fitsWidth(phone);
    const canvasBox = (await phone.getByTestId('bpmn-canvas').boundingBox())!;
    await shownWhole(phone);
    const panelBox = (await phone.getByText('点击图中的元素设置它的属性').boundingBox())!;
    expect(panelBox.y).toBeGreaterThan(canvasBox.y + canvasBox.height - 1);
    await checkScreen(phone, 'designer-phone', DESIGNER_LATIN);
    expect(pageErrors).toEqual([]);
  });

  it('a cadre on a phone starts the designed process and a town officer completes it; the history shows both steps', async () => {
    const households = (await t.call('admin', { method: 'GET', url: `/api/households?filter=${encodeURIComponent(JSON.stringify({ village: '荣光村' }))}&range=[0,0]` })).json() as { id: string; headName: string }[];
    const household = households[0];

    const phone = await page(PHONE, true);
    await login(phone, base, CADRE);
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
    await hasText(phone.getByTestId('timeline'), '村级核实');
    await hasText(phone.getByTestId('process-title'), household.headName);
    await fitsWidth(phone);
    await checkScreen(phone, 'designed-case-phone');

    const town = await page(DESKTOP);
    await login(town, base, TOWN);
    await town.goto(caseUrl);
    const approve = town.getByTestId('step-townApprove');
    await visible(approve);
    await approve.getByLabel('同意', { exact: true }).check();
    await approve.getByRole('button', { name: '提交' }).click();
    await hasText(town.getByTestId('process-title').locator('xpath=..'), '已办结');
    const timeline = town.getByTestId('timeline');
    await hasText(timeline, '镇级审批');
    await hasText(timeline, '村级核实');
    await hasText(timeline, '李明华');
    await hasText(town.getByTestId('process-title'), household.headName);
    await checkScreen(town, 'designed-case-completed');
    expect(pageErrors).toEqual([]);
  });

  it('the supervisor sees a designed step that fell overdue among the coded ones, on the overdue page', async () => {
    // A designed type whose one task is due in 2 s (an ISO 8601 duration), and a coded case whose home
    // verification is due as fast (PT2S in the short policy): both fall overdue untouched.
    const key = `e2eLate${Date.now().toString(36)}`;
    const definition = await t.call('admin', {
      method: 'POST',
      url: '/api/process-definitions',
      payload: {
        key,
        title: { zh: '临时救助复核（逾期）', en: 'Relief re-check (overdue)' },
        bpmn: bpmn(`<bpmn:startEvent id="start"/>${task('recheck', '救助复核', 'village_cadre', 'ff:due="PT2S"')}<bpmn:endEvent id="end" name="办结"/>${chain('start', 'recheck', 'end')}`),
        forms: { apply: { type: 'object', title: '申请', required: ['householdId'], additionalProperties: false, properties: { householdId: { type: 'string', title: '农户' } } } },
        startRoles: ['village_cadre'],
        startForm: 'apply',
      },
    });
    expect(definition.statusCode, definition.body).toBe(201);
    expect((await t.call('admin', { method: 'POST', url: `/api/process-definitions/${definition.json().id}/publish` })).statusCode).toBe(200);
    const designedHousehold = await newHousehold(t, RONGGUANG, { headName: '逾期设计户' });
    const codedHousehold = await newHousehold(t, RONGGUANG, { headName: '逾期认定户' });
    const starts = [
      { type: key, input: { householdId: designedHousehold.id } },
      { type: 'identification', input: { householdId: codedHousehold.id, channel: 'self_report', category: 'unstable', riskTypes: ['illness'], description: '逾期督办测试' } },
    ];
    const ids: string[] = [];
    for (const payload of starts) {
      const res = await t.call(CADRE, { method: 'POST', url: '/api/processes', payload });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    for (const processId of ids) {
      await expect
        .poll(async () => (await t.call('supervisor', { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(JSON.stringify({ overdue: true, processId }))}` })).json().length, { timeout: 30_000, interval: 500 })
        .toBeGreaterThan(0);
    }

    const p = await page(DESKTOP);
    await login(p, base, 'supervisor');
    await p.getByRole('menuitem', { name: '逾期督办' }).click();
    const list = p.getByTestId('overdue-list');
    for (const [title, head] of [
      ['救助复核', '逾期设计户'],
      ['入户核实', '逾期认定户'],
    ]) {
      const row = list.locator('tr', { hasText: head }).first();
      await visible(row);
      await hasText(row, title);
      await hasText(row.getByTestId('due-chip'), '逾期');
    }
    await checkScreen(p, 'designed-overdue-supervisor');
    expect(pageErrors).toEqual([]);
  });
});
