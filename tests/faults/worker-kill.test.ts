/**
 * The worker SIGKILLed FAULT_KILLS times (default 3, every FAULT_KILL_EVERY_MS, default 6 s) during a run
 * of FAULT_CASES identification cases (default 60): every case finishes, nothing is lost or doubled, and
 * the read model rebuilt from the workflows equals the live one (tests/faults/harness.ts).
 *
 * On demand (`npm run test:faults`), not in `npm test`: a known bug of the Temporal SDK's core makes a
 * case that received a step update in the same workflow task as a timer or an activity result, just after
 * a worker kill, fail to replay later (tests/replay.test.ts keeps such a history). The live cases finish
 * correctly; the replay check catches it in about one run in five on this machine.
 */
import { describe, expect, it } from 'vitest';
import { KILL_EVERY_MS, KILLS, LIMIT, N, addHouseholds, checkAll, checkReprojection, driveAll, killWorker, log, sleep, startWorker, useFaultHarness } from './harness';

useFaultHarness();

describe('the worker killed mid-run', () => {
  const live: string[] = [];

  it(`SIGKILLs the worker ${KILLS} times during ${N} cases: every case finishes, nothing lost or doubled`, async () => {
    const households = await addHouseholds('K', N);
    const started = Date.now();
    const run = driveAll(households, 'k', 25);
    let kills = 0;
    const killer = (async () => {
      for (let i = 0; i < KILLS; i++) {
        await sleep(KILL_EVERY_MS);
        await killWorker('SIGKILL');
        kills += 1;
        log(`worker killed (${kills})`);
        await sleep(500);
        await startWorker();
      }
    })();
    const [ids] = await Promise.all([run, killer]);
    log(`${ids.length} cases in ${Date.now() - started} ms, ${kills} kills`);
    expect(kills).toBe(KILLS);
    expect(ids).toHaveLength(N);
    await checkAll(ids);
    live.push(...ids);
  }, LIMIT);

  it('rebuilds the read model from the workflows: it matches the live one', () => checkReprojection(live), LIMIT);
});
