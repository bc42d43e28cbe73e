/** Start, step and signal schemas of P2 helper assignment and follow-up. */
import { t } from '../../contracts/i18n';
import { MEASURE_CATEGORIES, RISK_TYPES } from '../../contracts/vocabulary';
import { Day, Id, Type, Words, enumOf, setOf, titled } from '../../contracts/schemas/common';

export const MeasureSchema = Type.Object(
  {
    category: enumOf(MEASURE_CATEGORIES, t('措施类别', 'Category')),
    target: Words(t('帮扶目标', 'Target'), 500),
    responsibleUnit: Words(t('责任单位', 'Responsible unit'), 100),
    dueDate: Day(t('完成时限', 'Due date')),
  },
  { additionalProperties: false, ...titled(t('帮扶措施', 'Support measure')) },
);

export const HelperAssignmentStartSchema = Type.Object(
  {
    householdId: Id(t('农户编号', 'Household')),
    identificationId: Type.Optional(Type.String({ maxLength: 200, ...titled(t('认定流程编号', 'Identification case')) })),
    includedOn: Type.Optional(Day(t('纳入监测日期', 'Included on'))),
  },
  { additionalProperties: false, ...titled(t('发起帮扶（已是监测户的农户）', 'Start follow-up (household already monitored)')) },
);

export const AssignHelperSchema = Type.Object(
  {
    helperId: Id(t('帮扶责任人', 'Helper')),
    measures: Type.Array(MeasureSchema, { minItems: 1, maxItems: 30, ...titled(t('“一户一策”帮扶措施', 'Household plan: measures')) }),
  },
  { additionalProperties: false, ...titled(t('确定帮扶责任人和措施', 'Name the helper and measures')) },
);

export const MonthlyVisitSchema = Type.Object(
  {
    visitedOn: Day(t('走访日期', 'Visited on')),
    notes: Words(t('走访情况', 'Notes')),
    measureProgress: Type.Optional(
      Type.Array(
        Type.Object(
          {
            measureId: Type.String({ minLength: 1, maxLength: 40, ...titled(t('措施', 'Measure')) }),
            note: Words(t('进展', 'Progress')),
            done: Type.Optional(Type.Boolean(titled(t('已完成', 'Done')))),
          },
          { additionalProperties: false },
        ),
        { maxItems: 30, ...titled(t('措施进展', 'Measure progress')) },
      ),
    ),
    newRisks: Type.Optional(setOf(RISK_TYPES, t('新发现风险', 'New risks'))),
    newRiskNote: Type.Optional(Words(t('风险说明', 'About the new risks'), 2000, 0)),
    unsafeHouse: Type.Optional(
      Type.Object(
        {
          description: Words(t('房屋安全隐患情况', 'What is unsafe about the house')),
          onlyHouse: Type.Boolean(titled(t('是否唯一住房', 'The family\'s only house'))),
        },
        { additionalProperties: false, ...titled(t('发现住房安全隐患（发起危房改造）', 'Unsafe house found (starts house rebuilding)')) },
      ),
    ),
  },
  { additionalProperties: false, ...titled(t('月度走访记录', 'Monthly visit record')) },
);

export const ProposeEliminationSchema = Type.Object(
  {
    reasons: Words(t('申请理由', 'Reasons')),
    perCapitaIncome: Type.Number({ minimum: 0, maximum: 10_000_000, ...titled(t('人均纯收入（元/年）', 'Net income per person (yuan/year)')) }),
    incomeAboveLine: Type.Boolean(titled(t('收入持续稳定高于监测标准', 'Income has stayed above the monitoring line'))),
    labourCount: Type.Integer({ minimum: 0, maximum: 30, ...titled(t('劳动力人数', 'Able-bodied members')) }),
  },
  { additionalProperties: false, ...titled(t('申请风险消除', 'Propose risk elimination')) },
);

export const RevertEliminationSchema = Type.Object(
  { reasons: Words(t('撤销理由', 'Reasons')) },
  { additionalProperties: false, ...titled(t('撤销风险消除', 'Revert elimination')) },
);

export const ReassignHelperSchema = Type.Object(
  {
    helperId: Id(t('新的帮扶责任人', 'New helper')),
    reason: Words(t('调整原因', 'Reason'), 500),
  },
  { additionalProperties: false, ...titled(t('调整帮扶责任人', 'Reassign the helper')) },
);

export const AddMeasureSchema = MeasureSchema;
