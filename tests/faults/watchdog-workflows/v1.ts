/** Version 1 (tests/faults/watchdog-workflows/notes.ts): at the fork it starts a timer. */
import { sleep } from '@temporalio/workflow';
import { recordNotes } from './notes';

export async function noteRecorder(): Promise<string[]> {
  return recordNotes(() => sleep('1 day'));
}
