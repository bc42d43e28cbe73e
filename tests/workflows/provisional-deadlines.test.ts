/**
 * A deadline that reaches into a year whose official holiday schedule is not published yet is
 * provisional; when an administrator loads the official schedule, the open case recomputes it and
 * records the change in its history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkflowEnv, type WorkflowTestEnv } from '../helpers/workflow-env';
import { loadCalendar, type WorkingCalendar } from '../../calendar';
import { loadPolicy } from '../../policy';
import { Household, Step } from '../../db';
import { recomputeDeadlinesSignal, stateQuery } from '../../contracts/messages';
import type { IdentificationInput } from '../../processes/identification/contract';
import type { CaseState } from '../../contracts/steps';

let t: WorkflowTestEnv;
let calendar: WorkingCalendar = loadCalendar();
beforeAll(async () => {
  t = await startWorkflowEnv({ calendar: () => calendar });
});
afterAll(async () => t?.close());

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('provisional deadlines', () => {
  it('are recomputed by the case when the official schedule for their year is loaded', async () => {
    // Find a working-day count whose deadline lands in a year without an official schedule.
    const base = loadPolicy();
    const em = t.db.em();
    em.create(Household, { id: 'HP000001', headName: '暂定户', idNumber: 'TEST-HP000001', town: '统景镇', village: '荣光村', memberCount: 2 });
    await em.flush();
    const official = new Set(calendar.officialYears());
    const lastOfficial = Math.max(...official);
    const now = await t.env.currentTimeMs();
    const days = Math.ceil((Date.UTC(lastOfficial + 1, 1, 1) - now) / 86_400_000); // reaches into February of the next year
    const policy = { ...base.identification, steps: { ...base.identification.steps, homeVerification: { workingDays: Math.max(1, Math.ceil(days * 5 / 7)) } } };
    const input: IdentificationInput = {
      processId: 'identification:HP000001:1',
      request: { householdId: 'HP000001', channel: 'self_report', category: 'marginal', riskTypes: ['other'], description: '测试' },
      household: { id: 'HP000001', headName: '暂定户', town: '统景镇', village: '荣光村' },
      startedBy: { id: 'cadre.rongguang', name: '李明华' },
      policy,
      policyVersion: 'test',
    };
    const handle = await t.env.client.workflow.start('identification', { workflowId: input.processId, taskQueue: t.taskQueue, args: [input] });
    let state: CaseState = await handle.query(stateQuery);
    for (let i = 0; i < 100 && !state.steps.length; i++) state = await new Promise((r) => setTimeout(r, 50)).then(() => handle.query(stateQuery));
    const before = state.steps[0];
    expect(before.provisional).toBe(true);
    const year = Number(before.dueDate.slice(0, 4));
    expect(official.has(year)).toBe(false);

    // The State Council publishes the year: the statutory days as assumed, plus five more days off
    // from the provisional due date on.
    const assumed = calendar.year(year).holidays.map((h) => h.date).filter((d) => d < before.dueDate);
    const dir = mkdtempSync(join(tmpdir(), 'fangfan-cal-'));
    const file = join(dir, 'official.yaml');
    writeFileSync(
      file,
      [
        'years:',
        `  ${year}:`,
        `    source: 测试用通知（非真实）`,
        '    holidays:',
        '      - name: 测试假期',
        `        dates: [${[...assumed, `${before.dueDate}..${addDays(before.dueDate, 4)}`].join(', ')}]`,
        '    makeUpWorkdays: []',
        '',
      ].join('\n'),
    );
    calendar = loadCalendar({ file });
    await handle.signal(recomputeDeadlinesSignal, { payload: {}, actor: { kind: 'user', id: 'admin', name: 'admin', roles: ['admin'] }, receivedAt: new Date().toISOString() });
    for (let i = 0; i < 100 && state.steps[0].provisional; i++) state = await new Promise((r) => setTimeout(r, 50)).then(() => handle.query(stateQuery));

    const after = state.steps[0];
    expect(after.provisional).toBe(false);
    expect(after.dueDate > before.dueDate).toBe(true);
    expect(state.events.some((e) => e.kind === 'deadline_recomputed' && e.summary.includes(before.dueDate) && e.summary.includes(after.dueDate))).toBe(true);
    // The read model follows once the case's projection activity has run (the state query can be ahead of it).
    let row = await t.db.em().fork().findOneOrFail(Step, { processId: input.processId, stepKey: 'homeVerification' });
    for (let i = 0; i < 200 && row.dueDate !== after.dueDate; i++) {
      await new Promise((r) => setTimeout(r, 50));
      row = await t.db.em().fork().findOneOrFail(Step, { processId: input.processId, stepKey: 'homeVerification' });
    }
    expect(row.dueDate).toBe(after.dueDate);
    expect(row.provisional).toBe(false);
  });
});
