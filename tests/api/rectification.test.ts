/**
 * A rectification opened directly by the district for a finding of an assessment, inspection, audit or
 * inspection tour (plan item 49), not only from a campaign visit: the finding's department fixes it,
 * the town re-checks, and a false or perfunctory fix is answered for (问责: who, measure, date) beside
 * the reopen count, and listed with the district's 约谈/问责 records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import { eventually } from '../helpers/integrations';
import { photoId } from '../helpers/evidence';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const day = (plus = 0) => new Date(Date.now() + 8 * 3600_000 + plus * 86_400_000).toISOString().slice(0, 10);
const enc = encodeURIComponent;
const start = (as: string, input: object) => t.call(as, { method: 'POST', url: '/api/processes', payload: { type: 'rectification', input } });
const step = (as: string, id: string, key: string, form: object) => t.call(as, { method: 'POST', url: `/api/processes/${enc(id)}/steps/${key}`, payload: form });
const open = (as: string, id: string, key: string) =>
  eventually(
    async () => (await t.call(as, { method: 'GET', url: `/api/processes/${enc(id)}` })).json(),
    (c: any) => !!c.openSteps?.some((s: { key: string }) => s.key === key),
  );

describe('a rectification opened by the district', () => {
  const finding = { householdId: 'H00000003', source: 'audit', reference: '渝北审〔2026〕12号-3', finding: '危房改造补助资金未按时发放到户', department: '区住房城乡建委' };

  it('is opened by a supervisor for an audit finding, fixed by its department, and a perfunctory fix records 问责', async () => {
    expect((await start('town.tongjing', finding)).statusCode).toBe(403);
    const bad = await start('supervisor', { ...finding, source: 'rumour' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('input.source');
    const started = await start('supervisor', finding);
    expect(started.statusCode).toBe(201);
    const id = started.json().id as string;
    expect((await start('supervisor', finding)).statusCode).toBe(409);

    let c = await open('town.tongjing', id, 'analysis');
    expect(c.state.events.map((e: { summary: string }) => e.summary)).toContain('审计发现问题（渝北审〔2026〕12号-3），责任部门区住房城乡建委：危房改造补助资金未按时发放到户');
    expect((await step('town.tongjing', id, 'analysis', { category: 'housing', measure: '补发补助资金', deadline: day(10) })).statusCode).toBe(200);
    await open('zhujian', id, 'fix');
    const fix = { fixedOn: day(), measureTaken: '已补发', evidence: [await photoId(t, 'zhujian')] };
    expect((await step('shuili', id, 'fix', fix)).statusCode).toBe(404);
    expect((await step('zhujian', id, 'fix', fix)).statusCode).toBe(200);

    await open('town.tongjing', id, 'recheck');
    const reject = { decision: 'reject', checkedOn: day(), reason: '仅补发一户，其余未发，敷衍整改' };
    const unanswered = await step('town.tongjing', id, 'recheck', reject);
    expect(unanswered.statusCode).toBe(422);
    expect(unanswered.json().error.message).toContain('须记录问责');
    const rejected = await step('town.tongjing', id, 'recheck', { ...reject, accountability: { who: '区住房城乡建委村镇建设科', measure: '通报批评', decidedOn: day() } });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().state.data).toMatchObject({
      reopened: 1,
      accountability: [{ who: '区住房城乡建委村镇建设科', measure: '通报批评', decidedOn: day(), round: 1, department: '区住房城乡建委' }],
    });
    expect(rejected.json().state.events.some((e: { summary: string }) => e.summary === `问责：区住房城乡建委村镇建设科，通报批评（${day()}）`)).toBe(true);

    // The 问责 is in the district's 约谈/问责 list, saying where it came from: for the district, the case's
    // town and the fixing department; not for another town or department.
    const ledger = (as: string) => t.call(as, { method: 'GET', url: `/api/accountability?filter=${enc(JSON.stringify({ source: 'rectification' }))}` }).then((r) => r.json() as any[]);
    const entry = (await eventually(() => ledger('supervisor'), (rows) => rows.some((r) => r.processIds.includes(id)))).find((r) => r.processIds.includes(id));
    expect(entry).toMatchObject({
      kind: 'accountability',
      source: 'rectification',
      sourceTitle: { zh: '问题整改复核（虚假整改、敷衍整改）' },
      target: '区住房城乡建委村镇建设科',
      measure: '通报批评',
      decidedOn: day(),
      reason: '整改复核不通过（第 1 次，区住房城乡建委整改）：仅补发一户，其余未发，敷衍整改',
      towns: ['统景镇'],
      departments: ['区住房城乡建委'],
    });
    expect(entry.recordedByName).not.toBe('');
    for (const as of ['town.tongjing', 'zhujian']) expect((await ledger(as)).map((r) => r.id)).toContain(entry.id);
    for (const as of ['town.gulu', 'shuili']) expect((await ledger(as)).map((r) => r.id)).not.toContain(entry.id);

    await open('zhujian', id, 'fix');
    expect((await step('zhujian', id, 'fix', { ...fix, measureTaken: '已全部补发' })).statusCode).toBe(200);
    await open('town.tongjing', id, 'recheck');
    const passed = await step('town.tongjing', id, 'recheck', { decision: 'pass', checkedOn: day() });
    expect(passed.statusCode).toBe(200);
    c = passed.json();
    expect(c.state.status).toBe('completed');
  });
});
