/** The verification form of a department data warning. */
import { t } from '../../contracts/i18n';
import { Type, Words, enumOf, titled } from '../../contracts/schemas/common';

export const VERIFICATION_DECISIONS = {
  confirm: t('属实，纳入监测对象认定', 'Confirmed: to identification'),
  dismiss: t('不属实，说明理由', 'Dismissed, with reasons'),
};

export const VerificationSchema = Type.Object(
  {
    decision: enumOf(VERIFICATION_DECISIONS, t('核实结论', 'Finding')),
    reasons: Type.Optional(Words(t('核实情况（不属实时必填）', 'What was found (required when dismissing)'), 2000, 0)),
  },
  { additionalProperties: false, required: ['decision'], ...titled(t('比对预警核实', 'Warning verification')) },
);

/** Nobody starts a verification by hand: a department's batch does. */
export const VerificationStartSchema = Type.Object({}, { additionalProperties: false, ...titled(t('由部门数据比对自动发起', 'Opened by a department data batch')) });
