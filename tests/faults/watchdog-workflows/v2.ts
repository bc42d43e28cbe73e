/** Version 2 (tests/faults/watchdog-workflows/notes.ts): at the fork it runs an activity instead of a timer. */
import { proxyActivities } from '@temporalio/workflow';
import { recordNotes } from './notes';

const { forkReached } = proxyActivities<{ forkReached(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function noteRecorder(): Promise<string[]> {
  return recordNotes(() => forkReached());
}
