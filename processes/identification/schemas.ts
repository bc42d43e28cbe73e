/** Start and signal schemas of P1 monitoring identification. */
import { t } from '../../contracts/i18n';
import { DEPARTMENTS } from '../../contracts/roles';
import { DISCOVERY_CHANNELS, MONITORING_CATEGORIES, RISK_TYPES } from '../../contracts/vocabulary';
import { Id, Type, Words, enumOf, setOf, titled } from '../../contracts/schemas/common';

const departmentVocabulary = Object.fromEntries(DEPARTMENTS.map((d) => [d, { zh: d, en: d }])) as Record<(typeof DEPARTMENTS)[number], { zh: string; en: string }>;

export const IdentificationStartSchema = Type.Object(
  {
    householdId: Id(t('农户编号', 'Household')),
    channel: enumOf(DISCOVERY_CHANNELS, t('发现渠道', 'Discovery channel')),
    category: enumOf(MONITORING_CATEGORIES, t('监测类型', 'Monitoring category')),
    riskTypes: setOf(RISK_TYPES, t('风险类型', 'Risk types'), 1),
    description: Words(t('情况说明', 'Description')),
    alert: Type.Optional(
      Type.Object(
        {
          department: enumOf(departmentVocabulary, t('预警部门', 'Alerting department')),
          reference: Type.Optional(Words(t('预警编号', 'Alert reference'), 100, 0)),
        },
        { additionalProperties: false, ...titled(t('部门预警信息', 'Department alert')) },
      ),
    ),
  },
  { additionalProperties: false, ...titled(t('发起监测对象认定', 'Start a monitoring identification')) },
);

export const DepartmentAlertSchema = Type.Object(
  {
    department: enumOf(departmentVocabulary, t('预警部门', 'Alerting department')),
    reference: Type.Optional(Words(t('预警编号', 'Alert reference'), 100, 0)),
    riskTypes: Type.Optional(setOf(RISK_TYPES, t('风险类型', 'Risk types'))),
    description: Words(t('预警内容', 'Alert')),
  },
  { additionalProperties: false, ...titled(t('部门预警', 'Department alert')) },
);
