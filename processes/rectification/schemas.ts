/** The rectification's forms: analysis, fix, re-check (and its empty start form: a visit starts it). */
import { t } from '../../contracts/i18n';
import { PROBLEM_CATEGORIES } from '../campaign/contract';
import { Day, FileIds, Type, Words, enumOf, titled } from '../../contracts/schemas/common';

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
    evidence: FileIds(t('佐证材料（照片、凭证）', 'Evidence (photos, receipts)'), t('拍照或选择文件，至少一份', 'Take a photo or pick a file: at least one')),
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
