/** Start, step-form and signal schemas of P3 critical-illness relief. Amounts are yuan with at most two decimals. */
import { t, type Text } from '../../contracts/i18n';
import { RELIEF_CHANNELS, type IllnessReliefStepKey } from './contract';
import { Day, FileIds, Id, Type, Words, enumOf, titled } from '../../contracts/schemas/common';

/**
 * Health documents (optional, so forms of running cases stay valid): served only to whoever sees the
 * case's health details (server/privacy.ts PRIVACY.files), never printed.
 */
const medicalBills = Type.Optional(FileIds(t('医疗费用票据', 'Medical bills'), t('住院或门诊费用票据、结算单的照片或扫描件', 'Photos or scans of the bills and settlement statements')));
const diagnosisDocuments = Type.Optional(FileIds(t('诊断证明', 'Diagnosis documents'), t('医院出具的诊断证明或病历的照片或扫描件', "Photos or scans of the hospital's diagnosis or records")));

/** An amount in yuan (two decimals are checked by the receiver: JSON Schema's multipleOf is unreliable for decimals). */
const Yuan = (label: Text, minimum = 0) => Type.Number({ minimum, maximum: 100_000_000, ...titled(t(`${label.zh}（元）`, `${label.en} (yuan)`)) });

const choice = <K extends string>(label: Text, options: Record<K, Text>) => enumOf(options, label);

const settlementFields = {
  householdId: Id(t('农户编号', 'Household')),
  patient: Type.Object(
    {
      name: Words(t('患者姓名', 'Patient name'), 50),
      relation: Words(t('与户主关系', 'Relation to the head of household'), 20),
    },
    { additionalProperties: false, ...titled(t('患者', 'Patient')) },
  ),
  disease: Words(t('病种', 'Disease'), 200),
  settlementDate: Day(t('结算日期', 'Settlement date')),
  totalCost: Yuan(t('医疗总费用', 'Total cost')),
  paidByBasicInsurance: Yuan(t('基本医保支付', 'Paid by basic medical insurance')),
  paidByCriticalIllnessInsurance: Yuan(t('大病保险支付', 'Paid by critical-illness insurance')),
  paidByMedicalAssistance: Yuan(t('医疗救助支付', 'Paid by medical assistance')),
  outOfPocket: Yuan(t('个人自付', 'Out of pocket')),
};

/** What the medical insurance settlement system posts to `POST /api/integrations/medical-settlements`. */
export const MedicalSettlementSchema = Type.Object(
  {
    eventId: Type.Optional(Id(t('结算流水号', 'Settlement id'))),
    ...settlementFields,
    replacesEventId: Type.Optional(Id(t('被替代的结算流水号（重新结算时）', 'Settlement it replaces (re-settlement)'))),
  },
  { additionalProperties: false, ...titled(t('医保结算信息', 'Medical insurance settlement')) },
);

/** A case handler's application (依申请): the expenses the household declares. */
export const IllnessReliefStartSchema = Type.Object(
  {
    ...settlementFields,
    description: Words(t('申请说明', 'Application')),
  },
  { additionalProperties: false, ...titled(t('申请大病一事一议特殊救助', 'Apply for critical-illness relief')) },
);

export const ExpenseVerificationSchema = Type.Object(
  {
    decision: choice(t('核实结果', 'Result'), {
      confirm: t('核实无误，三重制度已落实', 'Confirmed: the three layers were applied'),
      sendBack: t('退回，先落实医疗救助', 'Send back: apply medical assistance first'),
    }),
    basicInsuranceApplied: Type.Boolean({ ...titled(t('基本医保已报销', 'Basic insurance applied')) }),
    criticalIllnessInsuranceApplied: Type.Boolean({ ...titled(t('大病保险已报销', 'Critical-illness insurance applied')) }),
    medicalAssistanceApplied: Type.Boolean({ ...titled(t('医疗救助已落实', 'Medical assistance applied')) }),
    verifiedOutOfPocket: Type.Optional(Yuan(t('核实的个人自付金额（确认时必填）', 'Verified out-of-pocket (required to confirm)'))),
    reasons: Type.Optional(Words(t('说明（退回时必填）', 'Reasons (required to send back)'), 2000, 0)),
    medicalBills,
    diagnosisDocuments,
  },
  { additionalProperties: false, ...titled(t('费用核实', 'Expense verification')) },
);

export const MedicalAssistanceAppliedSchema = Type.Object(
  {
    amount: Yuan(t('医疗救助金额', 'Medical assistance paid'), 0.01),
    reference: Words(t('救助结算单号', 'Assistance reference'), 100),
    appliedOn: Day(t('落实日期', 'Applied on')),
    remarks: Type.Optional(Words(t('备注', 'Remarks'), 2000, 0)),
    medicalBills,
  },
  { additionalProperties: false, ...titled(t('医疗救助落实', 'Medical assistance applied')) },
);

export const ImpactAssessmentSchema = Type.Object(
  {
    decision: choice(t('评估结论', 'Conclusion'), {
      proceed: t('影响基本生活，提请一事一议', 'Basic living is affected: to deliberation'),
      notNeeded: t('不影响基本生活，无需救助', 'Basic living is not affected: no relief needed'),
    }),
    visitedOn: Day(t('入户评估日期', 'Visited on')),
    findings: Words(t('评估情况', 'Findings')),
    reasons: Type.Optional(Words(t('理由（无需救助时必填）', 'Reasons (required when not needed)'), 2000, 0)),
    diagnosisDocuments,
  },
  { additionalProperties: false, ...titled(t('影响基本生活评估', 'Impact on basic living')) },
);

export const OpinionSchema = Type.Object(
  {
    recommendation: choice(t('意见', 'Recommendation'), { support: t('同意救助', 'Support relief'), notSupport: t('不同意救助', 'Do not support') }),
    suggestedAmount: Type.Optional(Yuan(t('建议救助金额', 'Suggested amount'))),
    opinion: Words(t('意见说明', 'Opinion')),
  },
  { additionalProperties: false, ...titled(t('一事一议意见', 'Deliberation opinion')) },
);

export const DecisionSchema = Type.Object(
  {
    decision: choice(t('决定', 'Decision'), { grant: t('给予救助', 'Grant relief'), refuse: t('不予救助', 'Refuse') }),
    heldOn: Day(t('议定日期', 'Decided on')),
    channels: Type.Optional(
      Type.Array(
        Type.Object(
          {
            channel: choice(t('救助渠道', 'Channel'), RELIEF_CHANNELS),
            amount: Yuan(t('救助金额', 'Amount'), 0.01),
          },
          { additionalProperties: false, ...titled(t('救助渠道与金额', 'Channel and amount')) },
        ),
        { minItems: 1, maxItems: 3, ...titled(t('救助渠道与金额（给予救助时必填）', 'Channels and amounts (required to grant)')) },
      ),
    ),
    reasons: Words(t('议定理由', 'Reasons')),
  },
  { additionalProperties: false, ...titled(t('一事一议决定', 'Deliberation decision')) },
);

export const DisbursementSchema = Type.Object(
  {
    amount: Yuan(t('发放金额', 'Amount paid'), 0.01),
    voucherNumber: Words(t('发放凭证号', 'Voucher number'), 100),
    paidOn: Day(t('发放日期', 'Paid on')),
    remarks: Type.Optional(Words(t('备注', 'Remarks'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('救助发放', 'Disbursement')) },
);

export const ILLNESS_RELIEF_FORMS: Record<IllnessReliefStepKey, object> = {
  expenseVerification: ExpenseVerificationSchema,
  medicalAssistanceApplied: MedicalAssistanceAppliedSchema,
  impactAssessment: ImpactAssessmentSchema,
  opinionMedicalInsurance: OpinionSchema,
  opinionHealth: OpinionSchema,
  opinionCivilAffairs: OpinionSchema,
  decision: DecisionSchema,
  disburseSocialAssistance: DisbursementSchema,
  disburseSocialDonation: DisbursementSchema,
  disburseMedicalMutualAid: DisbursementSchema,
};
