/**
 * The worker SIGKILLed FAULT_KILLS times (default 3, every FAULT_KILL_EVERY_MS, default 6 s) during a run
 * of FAULT_CASES identification cases (default 100, each starting a helper assignment: 200 cases): every case finishes, nothing is lost or doubled, and
 * the read model rebuilt from the workflows equals the live one (tests/faults/harness.ts).
 *
 * Part of `npm test` (and of `npm run test:faults`, alone). A known bug of the Temporal SDK's core
 * (tests/faults/sdk-bug.ts), triggered when a workflow task carries a step update together with a timer
 * or an activity result and a cold worker later takes the case over, shows in two ways, each recognised
 * strictly, reported, and otherwise checked: a history that no longer replays (checked from its history
 * and the read model instead; about one run in five while projections were activities, none since they
 * are local activities). The rebuilt read model must equal the live one in every field, timestamps
 * included. Any other replay failure or difference fails the test, with the case's history kept in
 * tests/artifacts/faults/.
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
