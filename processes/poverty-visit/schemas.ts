/** The form of a visit to a 脱贫户. */
import { t } from '../../contracts/i18n';
import { RISK_TYPES } from '../../contracts/vocabulary';
import { Day, Type, Words, setOf, titled } from '../../contracts/schemas/common';

export const PovertyVisitSchema = Type.Object(
  {
    visitedOn: Day(t('走访日期', 'Visited on')),
    notes: Words(t('走访情况（两不愁三保障、收入、饮水）', 'Findings (food, clothing, the three guarantees, income, water)')),
    newRisks: Type.Optional(setOf(RISK_TYPES, t('发现的返贫致贫风险', 'Risks found'))),
    newRiskNote: Type.Optional(Words(t('风险说明', 'About the risks'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('脱贫户走访记录', 'Visit record')) },
);

/** Nobody starts a visit by hand: the schedule's round does. */
export const PovertyVisitStartSchema = Type.Object({}, { additionalProperties: false, ...titled(t('由定期走访计划自动发起', 'Started by the visit schedule')) });
