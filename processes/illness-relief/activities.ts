/**
 * P3's follow-up activities: the household's monitoring status now, an alert into an identification
 * that is already open, and a measure into the household's open P2 plan. Signals go through the
 * worker's own client (the activity context's), so nothing extra needs wiring into the worker.
 */
import { Context } from '@temporalio/activity';
import type { Db } from '../../db';
import { Household } from '../../db';
import { addMeasureToPlan, systemEnvelope } from '../helper-assignment/plan-measure';
import { IDENTIFICATION, type DepartmentAlertPayload } from '../identification/contract';
import type { PlanMeasureProposal } from './contract';
import type { HouseholdStatus, MonitoringStatus } from '../../contracts/vocabulary';

export function illnessReliefActivities({ db }: { db: Db }) {
  return {
    /** The household's register status now (it may have changed since the case started). */
    async illnessReliefHousehold(householdId: string): Promise<{ status: HouseholdStatus; monitoringStatus: MonitoringStatus }> {
      const h = await db.em().findOneOrFail(Household, { id: householdId });
      return { status: h.status as HouseholdStatus, monitoringStatus: h.monitoringStatus as MonitoringStatus };
    },

    /** A department alert into an identification that is already open (P1 deduplicates by event id). */
    async joinIdentification(a: { identificationId: string; eventId: string; alert: DepartmentAlertPayload }): Promise<void> {
      const handle = Context.current().client.workflow.getHandle(a.identificationId);
      await handle.signal(IDENTIFICATION.signals.departmentAlert.definition, systemEnvelope(a.alert, `${a.alert.department}（大病救助）`, a.eventId));
    },

    /**
     * A measure into the household's open P2 case (`addMeasure`, deduplicated by event id). Without an
     * open P2 case the answer says so and the relief case keeps the measure for a person to carry over.
     */
    async addPlanMeasure(m: { householdId: string; eventId: string; source: string; measure: PlanMeasureProposal }): Promise<{ helperProcessId?: string; reason?: string }> {
      return addMeasureToPlan(db, () => Context.current().client, m);
    },
  };
}
