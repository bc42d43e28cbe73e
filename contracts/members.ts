/**
 * 家庭成员: the vocabularies of a household's members (db/entities/household-member.entity.ts), shared
 * by the API, the Excel ledger and the console.
 */
import { t } from './i18n';
import type { Vocabulary } from './vocabulary';

/** 与户主关系: a member's relation to the head of the household (the head is a member too). */
export const MEMBER_RELATIONS = {
  head: t('户主', 'Head of household'),
  spouse: t('配偶', 'Spouse'),
  child: t('子女', 'Child'),
  parent: t('父母', 'Parent'),
  grandchild: t('孙辈', 'Grandchild'),
  sibling: t('兄弟姐妹', 'Sibling'),
  other: t('其他', 'Other'),
} satisfies Vocabulary<string>;
export type MemberRelation = keyof typeof MEMBER_RELATIONS;

/** 劳动能力: 有 / 弱 / 无. */
export const LABOUR_CAPACITIES = {
  full: t('有劳动能力', 'Able to work'),
  partial: t('弱劳动能力', 'Partly able to work'),
  none: t('无劳动能力', 'Unable to work'),
} satisfies Vocabulary<string>;
export type LabourCapacity = keyof typeof LABOUR_CAPACITIES;

/** 残疾等级: 一级 (most severe) to 四级. */
export const DISABILITY_GRADES = [1, 2, 3, 4] as const;

/** A member as the API shows it (the ID number masked for whoever may not see it). */
export interface HouseholdMemberView {
  id: number;
  name: string;
  idNumber: string;
  relation: MemberRelation;
  student: boolean;
  disabilityGrade: number | null;
  labourCapacity: LabourCapacity;
  insured: boolean;
}
