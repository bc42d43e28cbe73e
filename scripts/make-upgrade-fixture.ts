/**
 * Builds tests/fixtures/previous-release/: what the previous release leaves on a district's server, for
 * the upgrade test (tests/ops/upgrade.test.ts). Run once per release boundary:
 *
 *   npx tsx scripts/make-upgrade-fixture.ts [commit]
 *
 * `commit` (default PREVIOUS_RELEASE below: main before the Migration20261208* read-model migrations) is
 * exported with `git archive` into a temporary folder (no worktree, nothing in .git changes) and run there
 * as `npm start` runs it (server/main.ts, this checkout's node_modules, the short test policy) on a fresh
 * data directory. Over its HTTP API, cases are left running: a P1 in its public notice and a P4 in works,
 * beside the demo data's two P1s waiting for a home verification. That release's own `npm run backup`
 * takes a backup while it runs (the folder form of that release); the app is stopped; the backup folder
 * and `cases.json` (the commit, and each running case with its open step) are written into the fixture.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../server/config';
import { freePort } from './lib/ports.mjs';

/** main at "Packages for evidence files" (2026-12-07): the read model before Migration20261208*, backups as folders. */
const PREVIOUS_RELEASE = '7fe92ee';
const FIXTURE = join(REPO_ROOT, 'tests', 'fixtures', 'previous-release');
const PASSWORD = 'demo1234';
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const commit = execFileSync('git', ['rev-parse', process.argv[2] ?? PREVIOUS_RELEASE], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
const work = mkdtempSync(join(tmpdir(), 'fangfan-previous-'));
const release = join(work, 'release');
const dataDir = join(work, 'data');
let app: ChildProcess | undefined;

async function main(): Promise<void> {
  mkdirSync(release);
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${release}"`], { cwd: REPO_ROOT });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(release, 'node_modules'));
  const port = await freePort();
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_DEV_UI_PORT: String(await freePort()),
    POLICY_FILE: join(release, 'tests', 'fixtures', 'policy-short.yaml'),
    BACKUP_DIR: join(work, 'backups'),
  };
  console.log(`[fixture] starting ${commit.slice(0, 7)} on ${dataDir} …`);
  app = spawn(process.execPath, ['--import', 'tsx', join(release, 'server', 'main.ts')], { cwd: release, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const tokens = new Map<string, string>();
  const call = async (as: string, method: string, path: string, body?: object) => {
    if (!tokens.has(as)) {
      const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: as, password: PASSWORD }) });
      if (r.status !== 200) throw new Error(`login ${as}: ${r.status} ${await r.text()}`);
      tokens.set(as, ((await r.json()) as { token: string }).token);
    }
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(as)}`, 'idempotency-key': crypto.randomUUID() };
    if (body) headers['content-type'] = 'application/json';
    const r = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path} as ${as}: ${r.status} ${text}`);
    return JSON.parse(text);
  };
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/api/auth/login`, { method: 'POST' }).then(() => true, () => false);
    if (up) break;
    if (i > 600 || app.exitCode !== null) throw new Error('the previous release did not start');
    await sleep(500);
  }
  const detail = (id: string) => call('supervisor', 'GET', `/api/processes/${encodeURIComponent(id)}`);
  const complete = async (as: string, id: string, key: string, form: object) => {
    for (let i = 0; !(await detail(id)).openSteps?.some((s: { key: string }) => s.key === key); i++) {
      if (i > 300) throw new Error(`${id}: ${key} never opened`);
      await sleep(100);
    }
    await call(as, 'POST', `/api/processes/${encodeURIComponent(id)}/steps/${key}`, form);
  };

  const p1 = (await call('cadre.rongguang', 'POST', '/api/processes', { type: 'identification', input: { householdId: 'H00000001', channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '升级前的认定' } })).id;
  await complete('cadre.rongguang', p1, 'homeVerification', { verifiedOn: today(), coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 5600, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'at_risk', housing: 'secure', water: 'secure' }, findings: '住院费用高' });
  await complete('cadre.rongguang2', p1, 'villageReview', { heldOn: today(), participants: 30, result: 'pass', minutes: '同意纳入' });
  const p4 = (await call('cadre.rongguang', 'POST', '/api/processes', { type: 'houseRebuild', input: { householdId: 'H00000002', description: '墙体开裂，屋面漏雨', onlyHouse: true, attachments: ['photos/a.jpg'] } })).id;
  await complete('town.tongjing', p4, 'eligibility', { decision: 'eligible', checkedOn: today() });
  await complete('zhujian', p4, 'appraisal', { grade: 'C', appraiser: '区房屋安全鉴定站 张工', appraisedOn: today(), reportNo: 'JD-UPGRADE' });
  await complete('town.tongjing', p4, 'plan', { summary: '加固承重墙，更换屋面' });
  await complete('cadre.rongguang', p4, 'constructionStart', { startedOn: today() });

  // Every running case with its open steps, once the read model has them.
  let cases: { id: string; type: string; openSteps: string[] }[] = [];
  for (let i = 0; i < 100; i++) {
    const rows = (await call('supervisor', 'GET', `/api/processes?filter=${encodeURIComponent(JSON.stringify({ status: 'running' }))}`)) as { id: string }[];
    cases = await Promise.all(rows.map(async (r) => ({ id: r.id, type: (await detail(r.id)).type, openSteps: (await detail(r.id)).openSteps.map((s: { key: string }) => s.key).sort() })));
    if (cases.find((c) => c.id === p1)?.openSteps.includes('publicNotice') && cases.find((c) => c.id === p4)?.openSteps.includes('reinforcement')) break;
    await sleep(200);
  }

  console.log('[fixture] that release’s npm run backup …');
  execFileSync(process.execPath, ['--import', 'tsx', join(release, 'scripts', 'backup.ts')], { cwd: release, env, stdio: 'inherit' });
  app.kill('SIGINT');
  await new Promise((r) => app!.once('exit', r));
  app = undefined;

  const [folder] = readdirSync(env.BACKUP_DIR).filter((f) => f.startsWith('fangfan-backup-'));
  rmSync(FIXTURE, { recursive: true, force: true });
  mkdirSync(FIXTURE, { recursive: true });
  cpSync(join(env.BACKUP_DIR, folder), join(FIXTURE, folder), { recursive: true });
  writeFileSync(join(FIXTURE, 'cases.json'), `${JSON.stringify({ commit, archive: folder, cases: cases.sort((a, b) => a.id.localeCompare(b.id)) }, null, 2)}\n`);
  console.log(`[fixture] ${FIXTURE}: ${folder} and cases.json (${cases.length} running cases)`);
}

try {
  await main();
} finally {
  if (app && app.exitCode === null) {
    app.kill('SIGINT');
    await new Promise((r) => app!.once('exit', r));
  }
  rmSync(work, { recursive: true, force: true });
}
