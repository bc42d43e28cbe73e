/**
 * A test-only workflow for tests/faults/watchdog.test.ts: it records every note it is sent (by signal or
 * by update), and after the first one does something at "the fork" before waiting for `done`. The two
 * versions (v1.ts, v2.ts) do different things there, so that a history written by v1 no longer replays
 * on v2: the non-determinism failure the watchdog must repair.
 */
import { condition, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const noteSignal = defineSignal<[string]>('note');
export const noteUpdate = defineUpdate<number, [string]>('noteUpdate');
export const notesQuery = defineQuery<string[]>('notes');

export async function recordNotes(atTheFork: () => Promise<unknown>): Promise<string[]> {
  const notes: string[] = [];
  setHandler(noteSignal, (note) => void notes.push(note));
  setHandler(noteUpdate, (note) => notes.push(note));
  setHandler(notesQuery, () => notes);
  await condition(() => notes.length >= 1);
  await atTheFork();
  await condition(() => notes.includes('done'));
  return notes;
}
