/**
 * Adapted from the peer bench's bare client (its paths of 2026-12-04 moved, and the start now waits with
 * the `settled` update sent with it, as server/processes/start.ts does). Copy it over the harness's
 * bare-temporal.ts to measure the engine path of the current code (docs/benchmarks.md).
 *
 * System A without its API: the same case start and first-step completion sent by a bare Temporal client
 * to the same dev server and worker that `npm start` runs, as server/processes/start.ts and
 * server/routes/processes.ts send them (start the identification workflow with the household and policy
 * snapshot with the `settled` update that answers once the first step is open, then the `completeStep`
 * Update with the form enriched with the co-verifier's record). Left out: HTTP, session, authorization,
 * the read-model guard (one open case per household), schema validation, audit rows, the inbox.
 *
 *   (from the project root) node --import tsx <peer-bench>/bare-temporal.ts JOB.json
 * It imports the project's own contracts from the current directory, at the paths they had on 2026-12-04
 * (this copy: contracts/messages.ts, processes/index.ts, contracts/ids.ts, policy/index.ts).
 * JOB.json: {address, taskQueue, concurrency, households: [{id, headName}], actor, coVerifier, form, start}
 * After its warm-up units it prints READY and waits for a line on standard input; then prints one JSON line: {done, failed, wall, lat: {start, complete}, unitMs, cpuMs, errors}.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const fromProject = (p: string) => import(pathToFileURL(path.resolve(p)).href);
const { Connection, Client, WithStartWorkflowOperation, WorkflowUpdateStage } = await fromProject('node_modules/@temporalio/client/lib/index.js');
const { completeStepUpdate, settledUpdate } = await fromProject('contracts/messages.ts');
const { processType } = await fromProject('processes/index.ts');
const { processIdOf } = await fromProject('contracts/ids.ts');
const { loadPolicy } = await fromProject('policy/index.ts');

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const policy = loadPolicy();
const def = processType('identification')!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main() {
  const connection = await Connection.connect({ address: job.address });
  const client = new Client({ connection, namespace: 'default' });
  const lat: Record<string, number[]> = { start: [], complete: [] };
  const unitMs: number[] = [];
  const errors: Record<string, number> = {};
  const households = [...job.households];
  const warm = households.splice(0, job.warmup ?? 0);
  const unit = async (h: { id: string; headName: string }, record: boolean) => {
    const u0 = process.hrtime.bigint();
    const processId = processIdOf('identification', h.id, 1);
    try {
      let t0 = process.hrtime.bigint();
      const start = new WithStartWorkflowOperation(def.workflowType, {
        workflowId: processId,
        taskQueue: job.taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        args: [{
          processId,
          request: { ...job.start, householdId: h.id },
          household: { id: h.id, headName: h.headName, town: '统景镇', village: '荣光村' },
          startedBy: { id: job.actor.id, name: job.actor.name },
          policy: policy.identification,
          policyVersion: `${policy.version}#${policy.digest}`,
        }],
      });
      // as server/processes/start.ts: the start and the wait for the first steps in one call
      const settled = await client.workflow.startUpdateWithStart(settledUpdate, { waitForStage: WorkflowUpdateStage.ACCEPTED, startWorkflowOperation: start });
      await settled.result();
      const handle = client.workflow.getHandle(processId);
      if (record) lat.start.push(ms(t0));
      t0 = process.hrtime.bigint();
      const update = () => handle.executeUpdate(completeStepUpdate, {
        args: [{ stepKey: 'homeVerification', stepId: undefined, form: { ...job.form, coVerifier: job.coVerifier }, actor: job.actor, eventId: undefined }],
      });
      for (let i = 0; ; i++) { // as the bench's HTTP client: a step not open yet is retried (≤ 50 × 100 ms), counted
        try {
          await update();
          break;
        } catch (e) {
          if (i >= 50 || !String((e as Error).message + ((e as any).cause?.message ?? '')).includes('不在办理中')) throw e;
          errors['complete: step not open yet, retried'] = (errors['complete: step not open yet, retried'] || 0) + 1;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      if (record) { lat.complete.push(ms(t0)); unitMs.push(ms(u0)); }
      return true;
    } catch (e) {
      const k = (e as Error).name || 'error';
      errors[k] = (errors[k] || 0) + 1;
      if (errors[k] <= 2) console.error(`[bare] ${k}: ${(e as Error).message}`);
      return false;
    }
  };
  for (const h of warm) await unit(h, false);
  // the timed part starts when the bench, having sampled /proc, answers GO
  process.stdout.write('READY\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const deadline = t0 + (job.capS ?? 90) * 1000;
  let done = 0; let failed = 0;
  await Promise.all(Array.from({ length: job.concurrency }, async () => {
    for (let h = households.pop(); h && Date.now() < deadline; h = households.pop()) {
      if (await unit(h, true)) done++; else failed++;
    }
  }));
  const wall = (Date.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ done, failed, wall, lat, unitMs, cpuMs: (c.user + c.system) / 1000, errors }));
  await connection.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
