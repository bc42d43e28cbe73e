/**
 * Activities: the workflows' only way to the outside world (calendar, read model). Built by a factory
 * with their dependencies, so tests and the worker wire them the same way.
 */
import type { Db } from '../db';
import { computeDue, type WorkingCalendar } from '../calendar';
import type { DueRule, Due } from '../contracts/due';
import type { CaseState } from '../contracts/steps';
import { projectCase, recordMonitoringInclusion, type MonitoringInclusion } from './read-model';

export interface ActivityDeps {
  db: Db;
  calendar: () => WorkingCalendar;
}

export function createActivities({ db, calendar }: ActivityDeps) {
  return {
    /** A deadline by the official calendar, recorded in history so replays never recompute it. */
    async computeDue({ rule, from }: { rule: DueRule; from: string }): Promise<Due> {
      return computeDue(rule, new Date(from), calendar());
    },
    async projectCase(state: CaseState): Promise<void> {
      await projectCase(db.em(), state);
    },
    async recordMonitoringInclusion(m: MonitoringInclusion): Promise<void> {
      await recordMonitoringInclusion(db.em(), m);
    },
  };
}
export type Activities = ReturnType<typeof createActivities>;
