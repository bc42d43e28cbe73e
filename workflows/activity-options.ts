/**
 * How every workflow reaches its activities: one set of options (short: an activity lost with a killed
 * worker is retried elsewhere soon; they all are idempotent).
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

export const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
} as const;

export const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);

/** For lookups over many rows (a campaign's scope, its progress, a case's status while polling). */
export const lists = proxyActivities<Activities>({ ...ACTIVITY_OPTIONS, startToCloseTimeout: '2 minutes' });

/**
 * As local activities: they run in the worker inside the workflow task that asked for them, so a call
 * costs one marker in the history (not an activity task, its three events and a second workflow task).
 * Used for the read model's projection.
 */
export const localActs = proxyLocalActivities<Activities>(ACTIVITY_OPTIONS);
