/** The rectification's forms: analysis, fix, re-check (and its empty start form: a visit starts it). */
import { t } from '../../contracts/i18n';
import { PROBLEM_CATEGORIES } from '../campaign/contract';
import { DEPARTMENTS } from '../../contracts/roles';
import { Day, FileIds, Id, Type, Words, enumOf, titled } from '../../contracts/schemas/common';
import { DIRECT_SOURCES } from './contract';

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
    accountability: Type.Optional(
      Type.Object(
        {
          who: Words(t('问责对象（单位或个人）', 'Held accountable (unit or person)'), 200),
          measure: Words(t('问责措施（如约谈、通报批评、诫勉）', 'Measure (e.g. talk, notice of criticism, admonition)'), 500),
          decidedOn: Day(t('问责日期', 'Decided on')),
        },
        { additionalProperties: false, ...titled(t('问责（不通过时必填）', 'Accountability (required when rejected)')) },
      ),
    ),
  },
  { additionalProperties: false, ...titled(t('整改复核', 'Re-check')) },
);

const departmentVocabulary = Object.fromEntries(DEPARTMENTS.map((d) => [d, { zh: d, en: d }])) as Record<(typeof DEPARTMENTS)[number], { zh: string; en: string }>;

/**
 * A district supervisor opens a rectification for a finding of an assessment, inspection, audit or
 * inspection tour (item 49); a visit's problems start on their own.
 */
export const RectificationStartSchema = Type.Object(
  {
    householdId: Id(t('农户', 'Household')),
    source: enumOf(DIRECT_SOURCES, t('问题来源', 'Found by')),
    reference: Type.String({ minLength: 1, maxLength: 60, pattern: '^[^:/\\?#%]+$', ...titled(t('文号或问题编号', 'Report number or reference')) }),
    finding: Words(t('发现的问题', 'The finding'), 2000),
    department: enumOf(departmentVocabulary, t('责任部门', 'Responsible department')),
    category: Type.Optional(enumOf(PROBLEM_CATEGORIES, t('问题类别', 'Category'))),
  },
  { additionalProperties: false, ...titled(t('发起问题整改（考核评估、督查、审计、巡视巡察发现）', 'Open a rectification (a finding of an assessment, inspection, audit or tour)')) },
);
