/** Start, step-form and signal schemas of P4 dilapidated-house rebuilding (see ../processes/house-rebuild.ts). */
import { t, type Text } from '../../contracts/i18n';
import { APPRAISAL_GRADES, DANGER_CAUSES, HOUSING_REPORT_CHANNELS, TEMPORARY_HOUSING } from '../../contracts/vocabulary';
import type { HouseRebuildStepKey } from './contract';
import { Day, FileIds, Id, Type, Words, enumOf, titled } from '../../contracts/schemas/common';

/** A decision among a few titled codes. */
const choice = <K extends string>(label: Text, options: Record<K, Text>) => enumOf(options, label);

/**
 * Typed-in references of the time before uploads (kept so that running cases' forms and old reports stay
 * valid); new evidence is uploaded into the file-id field beside them.
 */
const Attachments = (label: Text) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 20, ...titled(label, t('原有的照片或附件编号（文字引用），最多 20 个', 'Earlier references to photos or attachments (text), at most 20')) });

export const HouseRebuildStartSchema = Type.Object(
  {
    householdId: Id(t('农户编号', 'Household')),
    channel: Type.Optional(enumOf(HOUSING_REPORT_CHANNELS, t('发现渠道', 'How it was found'))),
    reference: Type.Optional(Words(t('来源系统编号', 'Reference in the reporting system'), 100, 0)),
    description: Words(t('危房情况说明', 'What is unsafe')),
    onlyHouse: Type.Boolean(titled(t('是否唯一住房', 'The family\'s only house'))),
    earlierRenovation: Type.Optional(
      Type.Object(
        {
          year: Type.Integer({ minimum: 1990, maximum: 2100, ...titled(t('改造年份', 'Year renovated')) }),
          dangerCause: enumOf(DANGER_CAUSES, t('再次成为危房的原因', 'Why it is dangerous again')),
        },
        { additionalProperties: false, ...titled(t('曾实施过农村危房改造', 'Renovated under the programme before')) },
      ),
    ),
    photos: Type.Optional(FileIds(t('危房照片及附件', 'Photos and attachments'), t('拍摄房屋危险部位，或上传相关材料', 'Photos of the unsafe parts of the house, or documents'))),
    attachments: Type.Optional(Attachments(t('照片及附件编号（旧）', 'Attachment references (earlier)'))),
  },
  { additionalProperties: false, ...titled(t('发起农村危房改造', 'Report an unsafe house')) },
);

const EligibilitySchema = Type.Object(
  {
    decision: choice(t('审核结论', 'Decision'), {
      eligible: t('符合条件，申请鉴定', 'Eligible: appraise the house'),
      ineligible: t('不符合条件', 'Not eligible'),
    }),
    checkedOn: Day(t('审核日期', 'Checked on')),
    reasons: Type.Optional(Words(t('理由（不符合条件时必填）', 'Reasons (required when not eligible)'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('资格审核', 'Eligibility check')) },
);

const AppraisalSchema = Type.Object(
  {
    grade: enumOf(APPRAISAL_GRADES, t('鉴定等级', 'Grade')),
    appraiser: Words(t('鉴定人员（机构）', 'Appraiser'), 200),
    appraisedOn: Day(t('鉴定日期', 'Appraised on')),
    reportNo: Type.Optional(Words(t('鉴定报告编号', 'Report number'), 100, 0)),
    findings: Type.Optional(Words(t('鉴定意见', 'Findings'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('房屋安全鉴定', 'House safety appraisal')) },
);

const temporaryHousingProps = {
  arrangement: enumOf(TEMPORARY_HOUSING, t('过渡安置方式', 'Arrangement')),
  address: Words(t('过渡住址', 'Where the family lives meanwhile'), 200),
  arrangedOn: Day(t('安置日期', 'Arranged on')),
};
const TemporaryHousingSchema = Type.Object(temporaryHousingProps, { additionalProperties: false, ...titled(t('过渡安置', 'Temporary housing')) });

const PlanSchema = Type.Object(
  {
    summary: Words(t('改造方案', 'Plan')),
    estimatedCost: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000_000, ...titled(t('预算（元）', 'Estimated cost (yuan)')) })),
    builder: Type.Optional(Words(t('施工方', 'Builder'), 200, 0)),
    temporaryHousing: Type.Optional(
      Type.Object(temporaryHousingProps, { additionalProperties: false, ...titled(t('过渡安置（D级拆除重建须在拆除前安排）', 'Temporary housing (D: before demolition)')) }),
    ),
  },
  { additionalProperties: false, ...titled(t('改造方案', 'Rebuilding plan')) },
);

const DemolitionSchema = Type.Object(
  {
    demolishedOn: Day(t('拆除日期', 'Demolished on')),
    notes: Type.Optional(Words(t('备注', 'Notes'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('拆除旧房', 'Demolition of the old house')) },
);

const ConstructionStartSchema = Type.Object(
  {
    startedOn: Day(t('开工日期', 'Started on')),
    builder: Type.Optional(Words(t('施工方', 'Builder'), 200, 0)),
    notes: Type.Optional(Words(t('备注', 'Notes'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('开工', 'Construction started')) },
);

const worksFinished = (title: Text) =>
  Type.Object(
    {
      finishedOn: Day(t('竣工日期', 'Finished on')),
      summary: Words(t('完成情况（验收未通过的，写明整改情况）', 'What was done (after a failed acceptance: how the defects were fixed)')),
    },
    { additionalProperties: false, ...titled(title) },
  );

const AcceptanceSchema = Type.Object(
  {
    result: choice(t('验收结论', 'Result'), {
      pass: t('验收合格', 'Passed'),
      fail: t('验收不合格，整改后重新验收', 'Failed: fix the defects and inspect again'),
    }),
    inspectedOn: Day(t('验收日期', 'Inspected on')),
    inspectors: Words(t('验收人员', 'Inspectors'), 200),
    sitePhotos: Type.Optional(FileIds(t('验收现场照片', 'Site photos'), t('拍摄竣工后的房屋', 'Take photos of the finished house'))),
    defects: Type.Optional(
      Type.Array(Words(t('问题', 'Defect'), 500), { maxItems: 50, ...titled(t('存在问题（不合格时必填）', 'Defects (required when failed)')) }),
    ),
    remarks: Type.Optional(Words(t('备注', 'Remarks'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('竣工验收', 'Completion acceptance')) },
);

const PaymentSchema = Type.Object(
  {
    amount: Type.Number({ minimum: 0, maximum: 1_000_000, ...titled(t('补助金额（元）', 'Amount (yuan)')) }),
    voucherNo: Words(t('支付凭证号', 'Payment voucher number'), 100),
    voucher: Type.Optional(FileIds(t('发放凭证', 'Payment voucher'), t('上传支付凭证的照片或扫描件', 'A photo or scan of the payment voucher'))),
    paidOn: Day(t('发放日期', 'Paid on')),
    differenceReason: Type.Optional(Words(t('与补助标准不同的原因（金额不同时必填）', 'Why the amount differs from the standard (required then)'), 2000, 0)),
  },
  { additionalProperties: false, ...titled(t('补助资金发放', 'Subsidy payment')) },
);

export const ProgressReportSchema = Type.Object(
  {
    reportedOn: Day(t('报告日期', 'Reported on')),
    percent: Type.Integer({ minimum: 0, maximum: 100, ...titled(t('形象进度（%）', 'Progress (%)')) }),
    description: Words(t('进度情况', 'Progress')),
    photos: Type.Optional(FileIds(t('现场照片', 'Site photos'), t('拍摄施工现场', 'Take photos of the works'))),
    attachments: Type.Optional(Attachments(t('现场照片编号（旧）', 'Site photo references (earlier)'))),
  },
  { additionalProperties: false, ...titled(t('施工进度报告', 'Construction progress report')) },
);

export const HOUSE_REBUILD_FORMS: Record<HouseRebuildStepKey, object> = {
  eligibility: EligibilitySchema,
  appraisal: AppraisalSchema,
  plan: PlanSchema,
  temporaryHousing: TemporaryHousingSchema,
  demolition: DemolitionSchema,
  constructionStart: ConstructionStartSchema,
  reinforcement: worksFinished(t('加固施工竣工', 'Reinforcement finished')),
  rebuilding: worksFinished(t('重建施工竣工', 'Rebuilding finished')),
  acceptance: AcceptanceSchema,
  payment: PaymentSchema,
};
