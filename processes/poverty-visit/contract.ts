/**
 * Visits to 脱贫户 (households lifted out of poverty) in March, August and November (plan item 5):
 * a Temporal Schedule starts a round in those months; the round opens one visit case per 脱贫户,
 * due at the month's end, for the household's contact cadre (包户干部), or the village's cadres when it has none.
 */
import { t } from '../../contracts/i18n';
import type { DueRule } from '../../contracts/due';
import type { Place } from '../../contracts/roles';
import type { StepDefinition } from '../../contracts/steps';
import type { RiskType } from '../../contracts/vocabulary';

export const OUT_OF_POVERTY_VISIT = {
  type: 'outOfPovertyVisit',
  workflowType: 'outOfPovertyVisit',
  roundWorkflowType: 'outOfPovertyVisitRound',
  scheduleId: 'fangfan-out-of-poverty-visits',
  title: t('脱贫户定期走访', 'Visit to an out-of-poverty household'),
  description: t('每年3月、8月、11月对脱贫户开展走访，当月月底前完成', 'Every March, August and November each 脱贫户 is visited by the month\'s end'),
  steps: {
    povertyVisit: {
      key: 'povertyVisit',
      title: t('脱贫户走访', 'Household visit'),
      role: 'village_cadre',
      scope: 'village',
      duePolicyKey: 'outOfPovertyVisits.due',
    },
  } satisfies Record<string, StepDefinition>,
} as const;

export interface OutOfPovertyVisitPolicy {
  /** Months of the year (1–12) with a visit round (item 5: 3, 8, 11). */
  months: number[];
  /** Day of month and hour (Asia/Shanghai) the round starts. */
  dayOfMonth: number;
  hour: number;
  /** When each visit is due (end of the month). */
  due: DueRule;
}

export interface PovertyVisitForm {
  visitedOn: string;
  notes: string;
  newRisks?: RiskType[];
  newRiskNote?: string;
}

export interface OutOfPovertyVisitRoundInput {
  due: DueRule;
  /** Task queue of the visit cases (the round's own). */
  taskQueue?: string;
}

export interface OutOfPovertyVisitInput {
  processId: string;
  month: string;
  /** `contactCadre`: the household's 包户干部, who makes the visit (absent: any cadre of the village). */
  household: Place & { id: string; headName: string; contactCadre?: { id: string; name: string } };
  due: DueRule;
}
