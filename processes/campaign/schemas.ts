/** P5 forms: campaign start, teams of two and the visit checklist (the rectification's are in processes/rectification/). */
import { t } from '../../contracts/i18n';
import { CHECKLIST_ITEMS, SCHOOLING, YES_NO } from './contract';
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

/** One answer per student of the household (the step's context names them; the console fills the names in). */
const StudentAnswers = Type.Array(
  Type.Object(
    {
      name: Name(t('学生姓名', 'Student')),
      schooling: enumOf(SCHOOLING, t('在校情况', 'Schooling')),
      educationAid: enumOf(YES_NO, t('享受教育资助', 'Receives education aid')),
      note: Type.Optional(Words(t('说明', 'Note'), 1000, 0)),
    },
    { additionalProperties: false, ...titled(t('学生', 'Student')) },
  ),
  { maxItems: 30, ...titled(t('在校学生情况（每名学生一项）', 'Students (one answer each)')) },
);

export const CampaignVisitSchema = Type.Object(
  {
    visitedOn: Day(t('走访日期', 'Visited on')),
    items: Type.Object(
      Object.fromEntries(Object.entries(CHECKLIST_ITEMS).map(([k, label]) => [k, Entry(label)])) as Record<keyof typeof CHECKLIST_ITEMS, ReturnType<typeof Entry>>,
      { additionalProperties: false, ...titled(t('排查清单', 'Checklist')) },
    ),
    students: Type.Optional(StudentAnswers),
    notes: Type.Optional(Words(t('其他情况', 'Other notes'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('入户走访排查表', 'Visit checklist')) },
);

export const ConfirmVisitSchema = Type.Object(
  {
    decision: enumOf(
      { confirm: t('确认：本人同组入户，记录属实', 'Confirm: I visited with my teammate and the record is true'), dispute: t('不确认：退回重新走访', 'Dispute: visit again') },
      t('确认意见', 'Decision'),
    ),
    note: Type.Optional(Words(t('说明（不确认时必填）', 'Note (required when disputed)'), 1000, 0)),
  },
  { additionalProperties: false, ...titled(t('同组确认走访', 'Confirm the visit')) },
);
