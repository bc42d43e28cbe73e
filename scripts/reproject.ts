/**
 * Rebuild the read model's cases and steps from the workflows' own state: for every workflow of the
 * namespace (oldest run first, so a continued-as-new case ends at its newest revision), ask its `state`
 * query and hand it to the projection activity's function (activities/read-model.ts projectCase, which
 * is idempotent and revision-checked: running this on a live database changes nothing that is current).
 *
 *   TEMPORAL_ADDRESS=127.0.0.1:7233 DB_FILE=/tmp/rebuilt.sqlite npx tsx scripts/reproject.ts [--query 'WorkflowType="identification"']
 *
 * Needs a worker on the cases' task queue (queries on closed cases replay them there). Workflows that
 * are not cases (schedules' runs, …) do not answer `state` and are skipped and counted.
 * Households' monitoring fields, audit, users, idempotency records are not derived from workflow state
 * and are not touched.
 *
 * Case numbers (`认定-2026-0012`): the live read model numbers a case when it first sees it, at its
 * start. Projected in parallel, a rebuild would number the cases in whatever order their queries came
 * back; so each case's first state is asked first and the cases are numbered in the order they started
 * (then by id), before anything is projected: rebuilt into an empty database, every case gets back the
 * number it had (two cases of one process started in the same instant aside). Numbers already in the
 * database are kept.
 */
import { pathToFileURL } from 'node:url';
import type { Client } from '@temporalio/client';
import { stateQuery } from '../contracts/messages';
import type { CaseState } from '../contracts/steps';
import { numberCasesInOrder, projectCase } from '../activities/read-model';
import type { Db } from '../db';

export interface ReprojectResult {
  projected: number;
  skipped: { workflowId: string; runId: string; type: string; reason: string }[];
}

export async function reproject(opts: { client: Client; db: Db; query?: string; concurrency?: number; log?: (m: string) => void }): Promise<ReprojectResult> {
  const runs: { workflowId: string; runId: string; type: string; startTime: number }[] = [];
  const seen = new Set<string>();
  for await (const w of opts.client.workflow.list(opts.query ? { query: opts.query } : undefined)) {
    if (seen.has(w.runId)) continue; // a visibility store may list a run twice (seen after a dev-server restart)
    seen.add(w.runId);
    runs.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, startTime: w.startTime.getTime() });
  }
  runs.sort((a, b) => a.startTime - b.startTime);
  // Runs of one workflow id are projected in order; different ids in parallel.
  const byId = new Map<string, typeof runs>();
  for (const r of runs) byId.set(r.workflowId, [...(byId.get(r.workflowId) ?? []), r]);
  const result: ReprojectResult = { projected: 0, skipped: [] };
  const stateOf = async (r: (typeof runs)[number]): Promise<CaseState | undefined> => {
    let state: CaseState;
    try {
      state = await opts.client.workflow.getHandle(r.workflowId, r.runId).query(stateQuery);
    } catch (err) {
      result.skipped.push({ workflowId: r.workflowId, runId: r.runId, type: r.type, reason: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
    if (!state?.processId) {
      result.skipped.push({ workflowId: r.workflowId, runId: r.runId, type: r.type, reason: 'no case state' });
      return undefined;
    }
    return state;
  };
  const inParallel = async (work: (chain: typeof runs) => Promise<void>) => {
    const queue = [...byId.values()];
    const worker = async () => {
      for (let chain = queue.shift(); chain; chain = queue.shift()) await work(chain);
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  };

  // Each case's first run's state (kept to be projected below), then the cases numbered by start.
  const firstStates = new Map<string, CaseState | undefined>();
  await inParallel(async (chain) => {
    firstStates.set(chain[0].runId, await stateOf(chain[0]));
  });
  const starts = [...firstStates.values()].filter((s): s is CaseState => !!s).map((s) => ({ processId: s.processId, type: s.type, startedAt: new Date(s.startedAt) }));
  starts.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.processId < b.processId ? -1 : a.processId > b.processId ? 1 : 0));
  await numberCasesInOrder(opts.db.em(), starts);

  await inParallel(async (chain) => {
    for (const [i, r] of chain.entries()) {
      const state = i === 0 ? firstStates.get(r.runId) : await stateOf(r);
      if (!state) continue;
      await projectCase(opts.db.em(), state);
      result.projected += 1;
    }
  });
  opts.log?.(`reprojected ${result.projected} runs of ${byId.size} workflows; skipped ${result.skipped.length}`);
  return result;
}

async function main() {
  const { loadConfig } = await import('../server/config');
  const { createServices } = await import('../server/services');
  const config = loadConfig();
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS (or connection.address in temporal.yaml) is required');
  const qi = process.argv.indexOf('--query');
  const services = await createServices({ database: config.databaseUrl || config.dbFile, temporal: config.temporal, sessionHours: config.sessionHours });
  try {
    const r = await reproject({ client: services.temporal.client, db: services.db, query: qi > 0 ? process.argv[qi + 1] : undefined, log: console.log });
    for (const s of r.skipped.slice(0, 20)) console.log(`  skipped ${s.workflowId} (${s.type}): ${s.reason}`);
  } finally {
    await services.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
