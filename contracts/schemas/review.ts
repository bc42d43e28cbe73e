/** Form schemas of the shared review procedure's steps (see ../review.ts). */
import { t } from '../i18n';
import { GUARANTEES } from '../vocabulary';
import { Day, FileIds, Id, Type, Words, titled } from './common';
import type { ReviewStepKey } from '../review';

const guaranteeStatus = Type.Unsafe<'secure' | 'at_risk'>({
  type: 'string',
  oneOf: [
    { const: 'secure', title: '有保障', 'x-title-en': 'Secure' },
    { const: 'at_risk', title: '存在风险', 'x-title-en': 'At risk' },
  ],
});

export const HomeVerificationSchema = Type.Object(
  {
    verifiedOn: Day(t('核实日期', 'Verified on')),
    coVerifierId: Id(t('同行核实人（另一名村干部）', 'Co-verifier (another village cadre)')),
    memberCount: Type.Integer({ minimum: 1, maximum: 30, ...titled(t('家庭人口', 'Household members')) }),
    perCapitaIncome: Type.Number({ minimum: 0, maximum: 10_000_000, ...titled(t('人均纯收入（元/年）', 'Net income per person (yuan/year)')) }),
    guarantees: Type.Object(
      Object.fromEntries(Object.entries(GUARANTEES).map(([k, v]) => [k, { ...guaranteeStatus, ...titled(v) }])) as unknown as Record<keyof typeof GUARANTEES, typeof guaranteeStatus>,
      { additionalProperties: false, ...titled(t('“两不愁三保障”及饮水安全', 'Food, clothing, the three guarantees and water')) },
    ),
    findings: Words(t('核实情况', 'Findings')),
  },
  { additionalProperties: false, ...titled(t('入户核实', 'Home verification')) },
);

export const VillageReviewSchema = Type.Object(
  {
    heldOn: Day(t('评议日期', 'Held on')),
    participants: Type.Integer({ minimum: 1, maximum: 1000, ...titled(t('参会人数', 'Participants')) }),
    result: Type.Unsafe<'pass' | 'fail'>({
      type: 'string',
      ...titled(t('评议结果', 'Result')),
      oneOf: [
        { const: 'pass', title: '评议通过', 'x-title-en': 'Passed' },
        { const: 'fail', title: '评议未通过', 'x-title-en': 'Not passed' },
      ],
    }),
    minutes: Words(t('评议记录', 'Minutes')),
  },
  { additionalProperties: false, ...titled(t('村级民主评议', 'Village democratic review')) },
);

export const PublicNoticeSchema = Type.Object(
  {
    postedOn: Day(t('公示开始日期', 'Posted on')),
    endedOn: Day(t('公示结束日期', 'Ended on')),
    location: Words(t('公示地点', 'Where it was posted'), 200),
    photos: Type.Optional(FileIds(t('公示现场照片', 'Photos of the posted notice'), t('拍摄张贴在村公示栏的公示', 'Take a photo of the notice on the village board'))),
    remarks: Type.Optional(Words(t('备注', 'Remarks'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('村内公示结果', 'Public notice result')) },
);

export const ObjectionReviewSchema = Type.Object(
  {
    decision: Type.Unsafe<'uphold' | 'dismiss'>({
      type: 'string',
      ...titled(t('处理结果', 'Decision')),
      oneOf: [
        { const: 'uphold', title: '异议成立，退回重新核实', 'x-title-en': 'Upheld: back to verification' },
        { const: 'dismiss', title: '异议不成立，继续公示', 'x-title-en': 'Dismissed: the notice continues' },
      ],
    }),
    reasons: Words(t('理由', 'Reasons')),
  },
  { additionalProperties: false, ...titled(t('异议处理', 'Objection review')) },
);

export const TownReviewSchema = Type.Object(
  {
    decision: Type.Unsafe<'approve' | 'return' | 'reject'>({
      type: 'string',
      ...titled(t('审核意见', 'Decision')),
      oneOf: [
        { const: 'approve', title: '审核通过，报区级审定', 'x-title-en': 'Approve: send to the district' },
        { const: 'return', title: '退回重新核实', 'x-title-en': 'Return for verification' },
        { const: 'reject', title: '不予通过', 'x-title-en': 'Reject' },
      ],
    }),
    reasons: Type.Optional(Words(t('理由（退回或不予通过时必填）', 'Reasons (required to return or reject)'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('乡镇审核', 'Town review')) },
);

export const DistrictApprovalSchema = Type.Object(
  {
    decision: Type.Unsafe<'approve' | 'reject'>({
      type: 'string',
      ...titled(t('审定意见', 'Decision')),
      oneOf: [
        { const: 'approve', title: '审定通过', 'x-title-en': 'Approve' },
        { const: 'reject', title: '不予通过', 'x-title-en': 'Reject' },
      ],
    }),
    reasons: Type.Optional(Words(t('理由（不予通过时必填）', 'Reasons (required to reject)'), 2000, 0)),
    effectiveOn: Type.Optional(Day(t('生效日期（默认审定当日）', 'Effective on (default: today)'))),
  },
  { additionalProperties: false, ...titled(t('区级审定', 'District approval')) },
);

export const ObjectionSchema = Type.Object(
  {
    raisedBy: Words(t('异议人', 'Raised by'), 100),
    content: Words(t('异议内容', 'Objection')),
    contact: Type.Optional(Words(t('联系方式', 'Contact'), 100, 0)),
  },
  { additionalProperties: false, ...titled(t('公示异议', 'Objection to the notice')) },
);

export const REVIEW_FORMS: Record<ReviewStepKey, object> = {
  homeVerification: HomeVerificationSchema,
  villageReview: VillageReviewSchema,
  publicNotice: PublicNoticeSchema,
  objectionReview: ObjectionReviewSchema,
  townReview: TownReviewSchema,
  districtApproval: DistrictApprovalSchema,
};
