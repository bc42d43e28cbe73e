/**
 * The Temporal dev server stopped and restarted on its SQLite file in the middle of a run of
 * FAULT_CASES / 2 identification cases (at least 10): every case finishes, nothing is lost or doubled, and
 * the read model rebuilt from the workflows equals the live one (tests/faults/harness.ts). Part of
 * `npm test`; it brings its own dev server.
 */
import { describe, expect, it } from 'vitest';
import { LIMIT, N, addHouseholds, checkAll, checkReprojection, dev, driveAll, log, sleep, startDev, useFaultHarness } from './harness';

useFaultHarness();

describe('the Temporal server restarted mid-run', () => {
  const live: string[] = [];

  it('stops and restarts the dev server on its SQLite file mid-run: every case finishes, nothing lost or doubled', async () => {
    const n = Math.max(10, Math.floor(N / 2));
    const households = await addHouseholds('R', n);
    const run = driveAll(households, 'r', 25);
    const restart = (async () => {
      await sleep(4000);
      await dev.stop();
      log('dev server stopped');
      await sleep(1000);
      await startDev();
      log('dev server restarted');
    })();
    const [ids] = await Promise.all([run, restart]);
    expect(ids).toHaveLength(n);
    await checkAll(ids);
    live.push(...ids);
  }, LIMIT);

  it('rebuilds the read model from the workflows: it matches the live one', () => checkReprojection(live), LIMIT);
});
