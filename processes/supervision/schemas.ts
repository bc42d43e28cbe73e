/** The 督办's forms: what the supervisor sends, and the town's or department's reply. */
import { t } from '../../contracts/i18n';
import { DEPARTMENTS } from '../../contracts/roles';
import { Day, Type, Words, enumOf, titled } from '../../contracts/schemas/common';

const departmentVocabulary = Object.fromEntries(DEPARTMENTS.map((d) => [d, { zh: d, en: d }])) as Record<(typeof DEPARTMENTS)[number], { zh: string; en: string }>;

/** A step's id as the step list gives it: `<processId>/<stepId>`. */
const StepId = Type.String({ minLength: 3, maxLength: 160, pattern: '^[A-Za-z0-9._:-]+/[A-Za-z0-9._-]+$', ...titled(t('逾期环节', 'Overdue step')) });

export const SupervisionStartSchema = Type.Object(
  {
    town: Type.Optional(Type.String({ minLength: 1, maxLength: 40, ...titled(t('督办镇', 'Town')) })),
    department: Type.Optional(enumOf(departmentVocabulary, t('督办部门', 'Department'))),
    stepIds: Type.Array(StepId, { minItems: 1, maxItems: 50, uniqueItems: true, ...titled(t('督办事项（逾期环节）', 'Overdue steps')) }),
    requirement: Words(t('督办要求', 'What is required'), 1000),
  },
  { additionalProperties: false, ...titled(t('发出督办', 'Send a supervision notice')) },
);

export const SupervisionReplySchema = Type.Object(
  {
    measures: Words(t('办理情况', 'What was done'), 2000),
    doneBy: Day(t('办结日期（或承诺办结日期）', 'Done (or to be done) by')),
  },
  { additionalProperties: false, ...titled(t('督办反馈', 'Reply')) },
);
