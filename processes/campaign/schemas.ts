/** P5 forms: campaign start, teams of two, the visit checklist, and the rectification steps. */
import { t } from '../../contracts/i18n';
import { CHECKLIST_ITEMS, PROBLEM_CATEGORIES } from './contract';
import { Day, Id, Type, Words, enumOf, titled } from '../../contracts/schemas/common';

const Name = (label: ReturnType<typeof t>) => Type.String({ minLength: 1, maxLength: 40, ...titled(label) });

export const CampaignStartSchema = Type.Object(
  {
    year: Type.Integer({ minimum: 2020, maximum: 2100, ...titled(t('年度', 'Year')) }),
    towns: Type.Array(Name(t('镇', 'Town')), { minItems: 1, maxItems: 50, uniqueItems: true, ...titled(t('排查范围（镇）', 'Towns in scope')) }),
    visitEndsOn: Day(t('走访排查截止日期', 'The visit phase ends on')),
    rectifyEndsOn: Day(t('整改截止日期', 'The rectification phase ends on')),
  },
  { additionalProperties: false, ...titled(t('启动年度大走访', 'Start the year\'s campaign')) },
);

const Members = Type.Array(Id(t('组员（用户）', 'Member (user)')), { minItems: 2, maxItems: 2, ...titled(t('两名组员', 'Two members')) });

export const FormTeamsSchema = Type.Object(
  {
    teams: Type.Array(
      Type.Object(
        {
          members: Members,
          villages: Type.Optional(Type.Array(Name(t('村', 'Village')), { maxItems: 100, uniqueItems: true, ...titled(t('负责的村', 'Villages')) })),
          households: Type.Optional(Type.Array(Id(t('农户编号', 'Household')), { maxItems: 2000, uniqueItems: true, ...titled(t('单独指派的农户', 'Households assigned individually')) })),
        },
        { additionalProperties: false, ...titled(t('走访小组', 'Team')) },
      ),
      { minItems: 1, maxItems: 500, ...titled(t('走访小组（两人一组）', 'Teams of two')) },
    ),
  },
  { additionalProperties: false, ...titled(t('组建走访小组', 'Form the visiting teams')) },
);

export const ReassignTeamSchema = Type.Object(
  {
    village: Name(t('村', 'Village')),
    householdId: Type.Optional(Id(t('农户编号（空则整村）', 'Household (whole village when empty)'))),
    members: Members,
    reason: Words(t('调整原因', 'Reason'), 500),
  },
  { additionalProperties: false, ...titled(t('调整走访小组', 'Reassign a visiting team')) },
);

const Entry = (label: ReturnType<typeof t>) =>
  Type.Object(
    {
      result: enumOf({ pass: t('达标', 'Pass'), fail: t('不达标（问题）', 'Fail (a problem)') }, t('结果', 'Result')),
      note: Type.Optional(Words(t('说明', 'Note'), 1000, 0)),
    },
    { additionalProperties: false, ...titled(label) },
  );

export const CampaignVisitSchema = Type.Object(
  {
    visitedOn: Day(t('走访日期', 'Visited on')),
    items: Type.Object(
      Object.fromEntries(Object.entries(CHECKLIST_ITEMS).map(([k, label]) => [k, Entry(label)])) as Record<keyof typeof CHECKLIST_ITEMS, ReturnType<typeof Entry>>,
      { additionalProperties: false, ...titled(t('排查清单', 'Checklist')) },
    ),
    notes: Type.Optional(Words(t('其他情况', 'Other notes'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('入户走访排查表', 'Visit checklist')) },
);

export const AnalysisSchema = Type.Object(
  {
    category: enumOf(PROBLEM_CATEGORIES, t('问题类别', 'Category')),
    measure: Words(t('整改措施', 'Measure'), 2000),
    deadline: Day(t('整改时限', 'Fix by')),
    houseRebuild: Type.Optional(Type.Boolean(titled(t('纳入农村危房改造（住房问题）', 'Hand to dilapidated-house rebuilding (housing)')))),
    onlyHouse: Type.Optional(Type.Boolean(titled(t('唯一住房', 'The family\'s only house')))),
  },
  { additionalProperties: false, ...titled(t('问题研判', 'Analysis')) },
);

export const FixSchema = Type.Object(
  {
    fixedOn: Day(t('整改完成日期', 'Fixed on')),
    measureTaken: Words(t('整改情况', 'What was done'), 2000),
    evidence: Type.Array(Words(t('佐证材料', 'Evidence'), 500), { minItems: 1, maxItems: 20, ...titled(t('佐证材料（照片、凭证）', 'Evidence (photos, receipts)')) }),
  },
  { additionalProperties: false, ...titled(t('整改', 'Fix')) },
);

export const RecheckSchema = Type.Object(
  {
    decision: enumOf({ pass: t('通过，销号', 'Pass: close out'), reject: t('不通过（虚假整改、敷衍整改），退回重改', 'Reject (false or perfunctory fix): reopen') }, t('复核结论', 'Decision')),
    checkedOn: Day(t('复核日期', 'Checked on')),
    reason: Type.Optional(Words(t('不通过原因', 'Why rejected'), 1000, 0)),
  },
  { additionalProperties: false, ...titled(t('整改复核', 'Re-check')) },
);

/** Nobody starts a rectification by hand: a visit's failed item does. */
export const RectificationStartSchema = Type.Object({}, { additionalProperties: false, ...titled(t('由走访排查发现的问题自动发起', 'Started by a problem found on a visit')) });
