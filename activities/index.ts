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
import { recordHousingAppraisal, recordHousingRenovation, type HousingAppraisal, type HousingRenovation } from '../processes/house-rebuild/activities';
import { illnessReliefActivities } from '../processes/illness-relief/activities';
import { campaignActivities } from '../processes/campaign/activities';

export interface ActivityDeps {
  db: Db;
  calendar: () => WorkingCalendar;
  /** Starts a follow-up case (injected by the host: it needs the API's start logic and a Temporal client). */
  startCase?: (type: string, input: Record<string, unknown>, startedBy: { id: string; name: string }) => Promise<{ id: string; existing: boolean }>;
}

export function createActivities({ db, calendar, startCase }: ActivityDeps) {
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
    async recordMonitoringStatus(m: MonitoringStatusChange): Promise<void> {
      await recordMonitoringStatus(db.em(), m);
    },
    /** The register's 脱贫户, for a visit round. */
    async listOutOfPovertyHouseholds(): Promise<{ id: string; headName: string; town: string; village: string }[]> {
      const rows = await db.em().find(Household, { status: 'out_of_poverty' }, { fields: ['id', 'headName', 'town', 'village'], orderBy: { id: 'ASC' } });
      return rows.map((h) => ({ id: h.id, headName: h.headName, town: h.town, village: h.village }));
    },
    /** Start a follow-up case; answers the open one's id when it already runs. */
    async startFollowUp(f: { type: string; input: Record<string, unknown>; startedBy: { id: string; name: string } }): Promise<{ id: string; existing: boolean }> {
      if (!startCase) throw ApplicationFailure.nonRetryable('no case starter is wired into this worker', 'NotConfigured');
      return startCase(f.type, f.input, f.startedBy);
    },
    /** P4: an appraisal into the housing history; the household's housing status follows its grade. */
    async recordHousingAppraisal(a: HousingAppraisal): Promise<void> {
      await recordHousingAppraisal(db.em(), a);
    },
    /** P4: a finished renovation into the housing history; the house is safe. */
    async recordHousingRenovation(r: HousingRenovation): Promise<void> {
      await recordHousingRenovation(db.em(), r);
    },
    /** P3: follow-up into monitoring (P1) or the household's plan (P2). */
    ...illnessReliefActivities({ db }),
    /** P5: the campaign's scope, P4 status for a housing problem, progress by town. */
    ...campaignActivities({ db }),
  };
}
export type Activities = ReturnType<typeof createActivities>;
