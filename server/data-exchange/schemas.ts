/** The batch a department sends (JSON; an upload becomes the same), and what the API answers. */
import Type, { type Static } from 'typebox';
import { DEPARTMENTS } from '../../contracts/roles';

export const ExchangeRecordSchema = Type.Object(
  {
    idNumber: Type.String({ pattern: '^([0-9]{17}[0-9Xx]|[0-9]{15})$', description: '身份证号 (18 digits, the last may be X)' }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    reference: Type.Optional(Type.String({ maxLength: 100, description: "The department's own reference of the record" })),
    perCapitaIncome: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000_000, description: '人均纯收入 (yuan/year)' })),
    outOfPocket: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000, description: '本年个人自付医疗费用 (yuan)' })),
    disabilityGrade: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: '残疾等级 1–4' })),
    droppedOut: Type.Optional(Type.Boolean({ description: '辍学' })),
    houseGrade: Type.Optional(Type.Enum(['A', 'B', 'C', 'D'], { description: '房屋安全鉴定等级 A–D' })),
    subsistenceCancelled: Type.Optional(Type.Boolean({ description: '低保取消' })),
    unemployed: Type.Optional(Type.Boolean({ description: '失业' })),
  },
  { additionalProperties: false },
);
export type ExchangeRecordInput = Static<typeof ExchangeRecordSchema>;

/** Records a batch may hold (a district's whole list of a department). */
export const MAX_BATCH_RECORDS = 100_000;

export const BatchBody = Type.Object(
  {
    department: Type.Enum([...DEPARTMENTS], { description: 'The sending department (its own data only)' }),
    kind: Type.String({ minLength: 1, maxLength: 40, description: 'What the list is, e.g. 新办残疾证, 年度自付医疗费用, 低保变动' }),
    records: Type.Array(ExchangeRecordSchema, { minItems: 1, maxItems: MAX_BATCH_RECORDS }),
  },
  { additionalProperties: false },
);
export type BatchInput = Static<typeof BatchBody>;

export const BatchSummary = Type.Object({ id: Type.String(), received: Type.Integer(), matched: Type.Integer(), unmatched: Type.Integer(), warnings: Type.Integer() });

export const BatchView = Type.Object({
  id: Type.String(),
  department: Type.String(),
  kind: Type.String(),
  source: Type.String(),
  senderName: Type.String(),
  receivedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  received: Type.Integer(),
  matched: Type.Integer(),
  unmatched: Type.Integer(),
  duplicates: Type.Integer(),
  warnings: Type.Integer(),
  processed: Type.Integer(),
  policyVersion: Type.String(),
});

export const RecordView = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  idNumber: Type.String(),
  name: Type.String(),
  indicators: Type.Record(Type.String(), Type.Unknown()),
  result: Type.String(),
  householdId: Type.Union([Type.String(), Type.Null()]),
  relation: Type.Union([Type.String(), Type.Null()]),
  rules: Type.Array(Type.Object({ rule: Type.String(), riskType: Type.String(), text: Type.String() })),
  followUp: Type.Union([Type.String(), Type.Null()]),
  verificationId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  reasons: Type.Union([Type.String(), Type.Null()]),
  caseId: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
});
