/**
 * Activities: the workflows' only way to the outside world (calendar, read model). Built by a factory
 * with their dependencies, so tests and the worker wire them the same way.
 */
import type { Db } from '../db';
import { Household } from '../db';
import { computeDue, type WorkingCalendar } from '../calendar';
import type { DueRule, Due } from '../contracts/due';
import type { CaseState } from '../contracts/steps';
import { ApplicationFailure } from '@temporalio/common';
import { projectCase, recordMonitoringInclusion, recordMonitoringStatus, type MonitoringInclusion, type MonitoringStatusChange } from './read-model';
import { processActivities } from '../processes';
import { designedActivities } from '../processes/designed/activities';

export interface ActivityDeps {
  db: Db;
  calendar: () => WorkingCalendar;
  /** Picks up years entered in the console by another process (server/calendar-years.ts), before a deadline is computed. */
  syncCalendar?: () => Promise<void>;
  /** Starts a follow-up case (injected by the host: it needs the API's start logic and a Temporal client). */
  startCase?: (type: string, input: Record<string, unknown>, startedBy: { id: string; name: string }) => Promise<{ id: string; existing: boolean }>;
  /** Raises a department alert through the API's alert command (injected by the host, like startCase). */
  raiseAlert?: RaiseAlert;
}

/** A department alert raised by a case (a confirmed data-exchange warning): joins or starts the household's identification. */
export type RaiseAlert = (a: { alert: DepartmentAlert; eventId: string; onBehalfOf: { name: string } }) => Promise<{ processId: string; started: boolean }>;
export interface DepartmentAlert {
  householdId: string;
  department: string;
  reference?: string;
  riskTypes?: string[];
  description: string;
}

export function createActivities({ db, calendar, syncCalendar, startCase, raiseAlert }: ActivityDeps) {
  return {
    /** A deadline by the official calendar, recorded in history so replays never recompute it. */
    async computeDue({ rule, from }: { rule: DueRule; from: string }): Promise<Due> {
      await syncCalendar?.();
      return computeDue(rule, new Date(from), calendar());
    },
    async projectCase(state: CaseState): Promise<void> {
      await projectCase(db.em(), state);
    },
    async recordMonitoringInclusion(m: MonitoringInclusion): Promise<void> {
      await recordMonitoringInclusion(db.em(), m);
    },
    async recordMonitoringStatus(m: MonitoringStatusChange): Promise<void> {
      await recordMonitoringStatus(db.em(), m);
    },
    /** The register's 脱贫户, for a visit round. */
    async listOutOfPovertyHouseholds(): Promise<{ id: string; headName: string; town: string; village: string; contactCadre?: { id: string; name: string } }[]> {
      const rows = await db.em().find(Household, { status: 'out_of_poverty' }, { fields: ['id', 'headName', 'town', 'village', 'contactCadreId', 'contactCadreName'], orderBy: { id: 'ASC' } });
      // 包户干部: the visit goes to the household's contact cadre (processes/poverty-visit).
      return rows.map((h) => ({
        id: h.id,
        headName: h.headName,
        town: h.town,
        village: h.village,
        ...(h.contactCadreId ? { contactCadre: { id: h.contactCadreId, name: h.contactCadreName ?? h.contactCadreId } } : {}),
      }));
    },
    /** Start a follow-up case; answers the open one's id when it already runs. */
    async startFollowUp(f: { type: string; input: Record<string, unknown>; startedBy: { id: string; name: string } }): Promise<{ id: string; existing: boolean }> {
      if (!startCase) throw ApplicationFailure.nonRetryable('no case starter is wired into this worker', 'NotConfigured');
      return startCase(f.type, f.input, f.startedBy);
    },
    /** A department alert into the household's identification (started or joined); the event id makes a retry count once. */
    async raiseDepartmentAlert(a: Parameters<RaiseAlert>[0]): Promise<{ processId: string; started: boolean }> {
      if (!raiseAlert) throw ApplicationFailure.nonRetryable('no alert sender is wired into this worker', 'NotConfigured');
      return raiseAlert(a);
    },
    /** Those only one process uses, from its folder (processes/<type>/activities.ts). */
    ...processActivities({ db }),
    /** Designed (BPMN) processes: FEEL conditions and the service-task catalogue. */
    ...designedActivities({ db, startCase }),
  };
}
export type Activities = ReturnType<typeof createActivities>;
