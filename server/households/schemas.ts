/**
 * The household register's HTTP shapes: what a client writes (the semantic rules — check digit,
 * places… — are validation/household.ts) and exactly what the routes answer.
 */
import Type from 'typebox';
import { HOUSEHOLD_STATUSES, LOW_INCOME_GROUPS, type Vocabulary } from '../../contracts/vocabulary';
import { HousingHistorySchema } from '../housing-history';
import { HEAD_NAME_MAX, MEMBER_COUNT } from '../validation/household';
import { nullable } from '../schema';

/** A vocabulary's keys, described by their Chinese names. */
const vocabEnum = (v: Vocabulary<string>) => Type.Enum(Object.keys(v), { description: Object.entries(v).map(([k, x]) => `${k}: ${x.zh}`).join('; ') });

const writable = {
  headName: Type.String({ minLength: 1, maxLength: HEAD_NAME_MAX, description: '户主姓名' }),
  idNumber: Type.String({ minLength: 1, maxLength: 32, description: '户主居民身份证号 (18 characters, GB 11643 check digit)' }),
  phone: nullable(Type.String({ maxLength: 20, description: '联系电话: mobile 1[3-9]xxxxxxxxx or landline 0xx-xxxxxxxx' })),
  town: Type.String({ minLength: 1, maxLength: 50, description: '镇' }),
  village: Type.String({ minLength: 1, maxLength: 50, description: '村 (of that town)' }),
  memberCount: Type.Integer({ minimum: MEMBER_COUNT.min, maximum: MEMBER_COUNT.max, description: '家庭人口' }),
  status: vocabEnum(HOUSEHOLD_STATUSES),
  lowIncomeGroups: Type.Array(vocabEnum(LOW_INCOME_GROUPS), { uniqueItems: true, maxItems: Object.keys(LOW_INCOME_GROUPS).length }),
};

export const CreateBody = Type.Object(
  {
    headName: writable.headName,
    idNumber: writable.idNumber,
    phone: Type.Optional(writable.phone),
    town: writable.town,
    village: writable.village,
    memberCount: writable.memberCount,
    status: Type.Optional(writable.status),
    lowIncomeGroups: Type.Optional(writable.lowIncomeGroups),
  },
  { additionalProperties: false, description: 'A new household. Monitoring fields are set by the workflows, never here.' },
);

export const UpdateBody = Type.Partial(CreateBody, {
  additionalProperties: false,
  minProperties: 1,
  description: 'The fields to change. Monitoring fields are read-only.',
});

export const ContactCadreSchema = nullable(
  Type.Object({ id: Type.String(), name: Type.String(), since: nullable(Type.String({ description: 'Beijing time' })) }, { description: '包户干部 (contact cadre)' }),
);

const viewProps = {
  id: Type.String(),
  headName: Type.String(),
  idNumber: Type.String({ description: 'masked (500112********1234) unless the caller may see it' }),
  idNumberMasked: Type.Boolean({ description: 'true when idNumber and phone are masked for this caller' }),
  phone: nullable(Type.String()),
  town: Type.String(),
  village: Type.String(),
  memberCount: Type.Integer(),
  status: Type.String(),
  lowIncomeGroups: Type.Array(Type.String()),
  monitoringStatus: Type.String(),
  monitoringCategory: nullable(Type.String()),
  riskTypes: Type.Array(Type.String()),
  monitoredSince: nullable(Type.String()),
  eliminatedOn: nullable(Type.String({ description: 'when the risk was last eliminated' })),
  returnedOn: nullable(Type.String({ description: 'when last included again after an elimination (返贫)' })),
  monitoringProcessId: nullable(Type.String()),
  contactCadre: ContactCadreSchema,
  createdAt: Type.String(),
  updatedAt: Type.String(),
};
export const HouseholdView = Type.Object(viewProps);

const CaseRow = Type.Object({
  id: Type.String(),
  type: Type.String(),
  status: Type.String(),
  stage: Type.String(),
  startedAt: Type.String(),
  closedAt: nullable(Type.String()),
  dueDate: nullable(Type.String()),
});
export const HouseholdDetail = Type.Object({ ...viewProps, cases: Type.Array(CaseRow), housingHistory: HousingHistorySchema });

export const ImportReport = Type.Object({
  format: Type.String(),
  rows: Type.Integer({ description: 'data rows read (blank rows skipped)' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  refused: Type.Array(Type.Object({ row: Type.Integer({ description: 'row number as the spreadsheet shows it' }), reasons: Type.Array(Type.String()) })),
  createdIds: Type.Array(Type.String()),
  updatedIds: Type.Array(Type.String()),
  ignoredColumns: Type.Array(Type.String({ description: 'read-only columns (as in the export) that the import does not write' })),
  members: Type.Optional(
    Type.Object(
      {
        households: Type.Integer({ description: 'households whose members the sheet replaced' }),
        refused: Type.Array(Type.Object({ row: Type.Integer({ description: 'row of the 家庭成员 sheet' }), reasons: Type.Array(Type.String()) })),
      },
      { description: 'an XLSX workbook with a 家庭成员 (Members) sheet, as the export writes it' },
    ),
  ),
});

export const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
