/**
 * The restore drill of the embedded default (tests/helpers/embedded-app.ts): cases in every stage — a P1
 * in its public notice, a P2 with its monthly visit, a P4 in works, the year's campaign with an open
 * rectification — then a backup (server/backup.ts, what `npm run backup` runs) taken while steps are being
 * completed, everything stopped, the data directory wiped, the archive restored (`npm run restore`) and
 * the app started again as `npm start` does. Every case is there as it was; the deadlines armed before the
 * backup escalate after the restore (a short policy: 60 seconds for the works, the analysis and P1's overall
 * limit); the open steps complete; nothing completed before the backup is done a second time; and the read
 * model rebuilt from the workflows (scripts/reproject.ts) equals the restored one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { Household } from '../../db';
import { restoreBackup, takeBackup } from '../../server/backup';
import { CHECKLIST_KEYS, visitCaseId } from '../../processes/campaign/contract';
import { rectificationId } from '../../processes/rectification/contract';
import type { CaseState } from '../../contracts/steps';
import { EmbeddedApp, sleep, today } from '../helpers/embedded-app';
import { photoId } from '../helpers/evidence';

const dir = mkdtempSync(join(tmpdir(), 'fangfan-drill-'));
/** The short test policy, with deadlines that fall due a minute after their step opens. */
const policyFile = join(dir, 'policy-drill.yaml');
const policy = parse(readFileSync(fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url)), 'utf8'));
policy.version = 'drill';
policy.identification.overallLimit = { duration: 'PT60S' };
policy.houseRebuild.construction.C = { duration: 'PT60S' };
policy.campaign.analysis = { duration: 'PT60S' };
writeFileSync(policyFile, stringify(policy));

const app = new EmbeddedApp(join(dir, 'data'), policyFile);
const year = Number(today().slice(0, 4));
const plusDays = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

type Form = object | (() => Promise<object>);
/** The steps a case goes through, in order: key, who completes it, the form. */
type Plan = [key: string, as: string, form: Form][];

const checklist = (fails: Record<string, string> = {}) => ({
  visitedOn: today(),
  items: Object.fromEntries(CHECKLIST_KEYS.map((k) => [k, fails[k] ? { result: 'fail', note: fails[k] } : { result: 'pass' }])),
});
const identification: Plan = [
  ['homeVerification', 'cadre.rongguang', { verifiedOn: today(), coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '住院费用高' }],
  ['villageReview', 'cadre.rongguang2', { heldOn: today(), participants: 30, result: 'pass', minutes: '同意纳入' }],
  ['publicNotice', 'cadre.rongguang', async () => ({ postedOn: today(), endedOn: today(), location: '村务公开栏', photos: [await photoId(app, 'cadre.rongguang')] })],
  ['townReview', 'town.tongjing', { decision: 'approve' }],
  ['districtApproval', 'supervisor', { decision: 'approve' }],
];
const helperAssignment: Plan = [
  ['assignHelper', 'town.tongjing', { helperId: 'cadre.rongguang', measures: [{ category: 'medical_assistance', target: '落实医疗救助', responsibleUnit: '区医保局', dueDate: '2099-12-31' }] }],
  ['monthlyVisit', 'cadre.rongguang', { visitedOn: today(), notes: '户主病情稳定' }],
];
const houseRebuild: Plan = [
  ['eligibility', 'town.tongjing', { decision: 'eligible', checkedOn: today() }],
  ['appraisal', 'zhujian', { grade: 'C', appraiser: '区房屋安全鉴定站 张工', appraisedOn: today(), reportNo: 'JD-DRILL' }],
  ['plan', 'town.tongjing', { summary: '加固承重墙，更换屋面' }],
  ['constructionStart', 'cadre.rongguang', { startedOn: today() }],
  ['reinforcement', 'cadre.rongguang', { finishedOn: today(), summary: '加固完成' }],
  ['acceptance', 'zhujian', async () => ({ result: 'pass', inspectedOn: today(), inspectors: '区住房城乡建委 李工', sitePhotos: [await photoId(app, 'zhujian')] })],
  ['payment', 'caizheng', async () => ({ amount: 7500, voucherNo: 'YKT-DRILL', voucher: [await photoId(app, 'caizheng')], paidOn: today() })],
];
const visit = (fails: Record<string, string> = {}): Plan => [
  ['campaignVisit', 'cadre.rongguang2', checklist(fails)],
  ['confirmVisit', 'cadre.rongguang', { decision: 'confirm' }],
];
const rectification: Plan = [
  ['analysis', 'town.tongjing', { category: 'education', measure: '劝返复学', deadline: plusDays(10) }],
  ['fix', 'jiaowei', async () => ({ fixedOn: today(), measureTaken: '已劝返复学', evidence: [await photoId(app, 'jiaowei')] })],
  ['recheck', 'town.tongjing', { decision: 'pass', checkedOn: today() }],
];

/** Completes the plan's steps up to (not including) `until`, skipping those the case has done. */
async function drive(id: string, plan: Plan, until?: string): Promise<void> {
  for (const [key, as, form] of plan) {
    if (key === until) return;
    if ((await app.state(id)).steps.some((s) => s.key === key && s.status === 'done')) continue;
    await app.complete(as, id, key, typeof form === 'function' ? await form() : form);
  }
}

const doneSteps = async (id: string) =>
  (await app.state(id)).steps
    .filter((s) => s.status === 'done')
    .map((s) => ({ id: s.id, at: s.completedAt, by: s.completedBy?.id }))
    .sort((a, b) => a.id.localeCompare(b.id));

async function start(as: string, type: string, input: object): Promise<string> {
  const res = await app.call(as, { method: 'POST', url: '/api/processes', payload: { type, input } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

beforeAll(async () => {
  await app.start();
}, 180_000);

afterAll(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the restore drill', () => {
  it('cases in every stage, backed up while steps are completed, restored into a wiped data directory: every case continues, its deadlines fire, nothing is done twice, the reprojection equals the restored read model', async () => {
    const em = app.services.db.em();
    const household = (id: string, extra: object = {}) => em.create(Household, { id, headName: `演练${id.slice(-1)}`, idNumber: `DRILL-${id}`, phone: null, town: '统景镇', village: '荣光村', memberCount: 3, status: 'ordinary', lowIncomeGroups: [], ...extra } as never);
    household('DR000001');
    household('DR000002');
    household('DR000003', { monitoringStatus: 'monitored', monitoringCategory: 'unstable', riskTypes: ['illness'], monitoredSince: today() });
    await em.flush();

    // P5: the year's campaign; a visit finds a child out of school, confirmed: an open rectification.
    const campaign = await start('supervisor', 'campaign', { year, towns: ['统景镇'], visitEndsOn: `${year}-12-31` < today() ? today() : `${year}-12-31`, rectifyEndsOn: plusDays(30) });
    const town = `${campaign}:统景镇`;
    await app.whenOpen('town.tongjing', town, 'formTeams');
    const villages = (await app.detail('town.tongjing', town)).json().state.data.villages.map((v: { village: string }) => v.village);
    await app.complete('town.tongjing', town, 'formTeams', { teams: [{ members: ['cadre.rongguang', 'cadre.rongguang2'], villages }] });
    const visits = (await em.fork().find(Household, { town: '统景镇' })).map((h) => visitCaseId(year, h.id));
    const [problemVisit, concurrentVisit] = [visitCaseId(year, 'H00000001'), visitCaseId(year, 'H00000003')];
    await drive(problemVisit, visit({ education: '子女初二辍学在家' }));
    const problem = rectificationId(year, 'H00000001', 'education');
    await app.whenOpen('town.tongjing', problem, 'analysis');
    // P2: a monitored household's helper named; this month's visit is open.
    const p2 = await start('supervisor', 'helperAssignment', { householdId: 'DR000003' });
    await drive(p2, helperAssignment, 'monthlyVisit');
    // P4: a grade C house in works.
    const p4 = await start('cadre.rongguang', 'houseRebuild', { householdId: 'H00000002', description: '墙体开裂，屋面漏雨', onlyHouse: true, attachments: ['photos/a.jpg'] });
    await drive(p4, houseRebuild, 'reinforcement');
    // P1: one in its public notice, one waiting for its home verification.
    const p1 = await start('cadre.rongguang', 'identification', { householdId: 'DR000001', channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '备份演练' });
    const p1b = await start('cadre.rongguang', 'identification', { householdId: 'DR000002', channel: 'self_report', category: 'unstable', riskTypes: ['illness'], description: '备份演练' });
    await drive(p1, identification, 'publicNotice');
    await app.whenOpen('cadre.rongguang', p1, 'publicNotice');

    const cases: [string, Plan][] = [
      [campaign, []],
      [town, []],
      [p1, identification],
      // (up to its notice: the notice lasts at least its minimum from when it opens)
      [p1b, identification.slice(0, 2)],
      [p2, helperAssignment],
      [p4, houseRebuild],
      [problem, rectification],
      ...visits.map((v): [string, Plan] => [v, visit()]),
    ];
    const before = new Map<string, Awaited<ReturnType<typeof doneSteps>>>();
    for (const [id] of cases) before.set(id, await doneSteps(id));

    // The backup, while steps of three cases are being completed.
    const backupDir = join(dir, 'backups');
    const [backup] = await Promise.all([
      takeBackup({ files: app.files, backupDir, keep: 3 }),
      drive(p1b, identification, 'villageReview'),
      drive(p2, helperAssignment),
      drive(concurrentVisit, visit()),
    ]);
    expect(backup.archive).toMatch(/\.tar\.gz$/);
    // Stop everything, wipe the data directory, restore.
    await app.stop();
    rmSync(app.files.dataDir, { recursive: true, force: true });
    const restoredAt = new Date();
    const restored = await restoreBackup({ archive: backup.archive, files: app.files });
    expect(restored.found.cases).toEqual(backup.manifest.counts.cases);
    expect(restored.evidenceRestored).toBe(backup.manifest.evidence!.count);
    await app.start();

    // Every case is there; what was done before the backup is still done, as it was.
    for (const [id] of cases) {
      expect((await app.detail('supervisor', id)).statusCode, id).toBe(200);
      const now = await doneSteps(id);
      for (const step of before.get(id)!) expect(now, id).toContainEqual(step);
    }
    const p1State = await app.state(p1);
    expect(p1State.stage).toBe('publicNotice');
    expect((await app.state(p4)).stage).toBe('construction');
    expect((await app.state(problem)).steps.find((s) => s.key === 'analysis')?.status).toBe('open');

    // The deadlines armed before the backup fire after the restore: each open step due within the next
    // minutes escalates, each case past its overall limit is overdue, in the workflow and in the read model.
    const pending = (s: CaseState) => [
      ...s.steps.filter((x) => x.status === 'open' && !x.escalatedAt && Date.parse(x.dueAt) < Date.now() + 180_000).map((x) => `${s.processId} ${x.id}`),
      ...(s.status === 'running' && s.due && !s.overdueSince && Date.parse(s.due.dueAt) < Date.now() + 180_000 ? [`${s.processId} overall`] : []),
    ];
    const armed: string[] = [];
    for (const [id] of cases) armed.push(...pending(await app.state(id)));
    expect(armed).toEqual(expect.arrayContaining([`${p4} reinforcement-1`, `${problem} analysis-1`, `${p1} overall`]));
    for (let i = 0; ; i++) {
      const left: string[] = [];
      for (const [id] of cases) left.push(...pending(await app.state(id)));
      if (!left.length) break;
      if (i > 900) throw new Error(`deadlines that never fired: ${left.join(', ')}`);
      await sleep(200);
    }
    const escalation = (await app.state(p4)).steps.find((s) => s.key === 'reinforcement')!.escalatedAt!;
    expect(Date.parse(escalation)).toBeGreaterThan(restoredAt.getTime());
    expect((await app.state(p1)).overdueSince).toBeTruthy();

    // The open steps complete: every case runs on to its end (the campaign's visits, the rectification closed).
    for (const [id, plan] of cases) await drive(id, plan);
    for (const id of [p1, p4, problem]) {
      for (let i = 0; (await app.state(id)).status === 'running' && i < 100; i++) await sleep(100);
      expect((await app.state(id)).status, id).toBe('completed');
    }
    // Nothing done twice: one accepted update per completed step, each step done once.
    for (const [id] of cases) {
      const s = await app.state(id);
      const done = s.steps.filter((x) => x.status === 'done');
      expect(new Set(done.map((x) => x.key)).size, id).toBe(done.length);
      expect(await app.acceptedUpdates(id), id).toBe(done.length);
    }
    const progress = (await app.call('supervisor', { method: 'GET', url: `/api/campaigns/${year}/progress` })).json();
    expect(progress.towns[0]).toMatchObject({ town: '统景镇', visited: visits.length, problems: 1, closed: 1 });

    // The read model rebuilt from the workflows equals the restored one (once the cases' last changes are projected).
    let compared = await app.readModelAndReprojection(join(dir, 'rebuilt-0.sqlite'));
    for (let i = 1; i < 20 && JSON.stringify(compared.live) !== JSON.stringify(compared.rebuilt); i++) {
      await sleep(500);
      compared = await app.readModelAndReprojection(join(dir, `rebuilt-${i}.sqlite`));
    }
    expect(compared.rebuilt).toEqual(compared.live);
  }, 420_000);
});
