/** What the routes need, handed to the app plugin by whoever hosts it (standalone server or a platform). */
import type { Client } from '@temporalio/client';
import type { Db } from '../db';
import type { Policy } from '../policy';
import type { WorkingCalendar } from '../calendar';

export interface Services {
  db: Db;
  temporal: {
    client: Client;
    taskQueue: string;
    namespace: string;
    /** Base URL of the Temporal Web UI, for links to a workflow (optional). */
    webUiUrl?: string;
  };
  policy: () => Policy;
  calendar: () => WorkingCalendar;
  /** Reload the calendar file (after an administrator added a year) and recompute provisional deadlines. */
  reloadCalendar?: () => Promise<{ years: number[]; recomputed: number }>;
  sessionHours: number;
  /** Abuse limits (rate limits, body size); defaults in server/security.ts DEFAULT_LIMITS. */
  limits?: Partial<import('./security').Limits>;
}
