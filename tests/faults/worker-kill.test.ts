/**
 * The worker SIGKILLed FAULT_KILLS times (default 3, every FAULT_KILL_EVERY_MS, default 6 s) during a run
 * of FAULT_CASES identification cases (default 100, each starting a helper assignment: 200 cases): every case finishes, nothing is lost or doubled, and
 * the read model rebuilt from the workflows equals the live one (tests/faults/harness.ts).
 *
 * Part of `npm test` (and of `npm run test:faults`, alone). A known bug of the Temporal SDK's core
 * (tests/faults/sdk-bug.ts) can leave a case that got a step update in the same workflow task as a timer
 * or an activity result, just after a kill, with a history that no longer replays; such a case is
 * recognised strictly, reported, and checked from its history and the read model instead; any other
 * replay failure fails the test. Since projections are local activities (workflows/case.ts) it has not
 * shown up (0 of 4 runs; before, about one run in five). A case whose rebuilt rows differ from the live
 * ones fails the reprojection check with its history kept in tests/artifacts/faults/.
 */
import { describe, expect, it } from 'vitest';
import { KILL_EVERY_MS, KILLS, LIMIT, N, addHouseholds, checkAll, checkReprojection, driveAll, killWorker, log, sdkBugCases, sleep, startWorker, useFaultHarness } from './harness';

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
    if (sdkBugCases.length) console.warn(`[faults] ${sdkBugCases.length} of ${ids.length} cases hit the Temporal SDK's update-ordering bug (not replayable; live run correct)`);
    live.push(...ids);
  }, LIMIT);

  it('rebuilds the read model from the workflows: it matches the live one', () => checkReprojection(live), LIMIT);
});
