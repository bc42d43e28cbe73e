import { t, type Text } from './i18n';

/**
 * Who acts in the system. A village cadre (村干部 / 信息员) acts in one village, a town officer
 * (镇工作组) in one town, a department officer for one district department, the district supervisor
 * (区专班, 区乡村振兴局) across the district. An information officer (信息员, plan item 16) reports households at
 * risk at district level (no town), town level (a town) or village level (a town and a village).
 * Integrations are other government systems with an API key.
 */
export const ROLES = ['village_cadre', 'town_officer', 'department_officer', 'district_supervisor', 'admin', 'information_officer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Record<Role, Text> = {
  village_cadre: t('村干部', 'Village cadre'),
  town_officer: t('镇工作组', 'Town officer'),
  department_officer: t('区级部门', 'Department officer'),
  district_supervisor: t('区专班', 'District supervisor'),
  admin: t('系统管理员', 'Administrator'),
  information_officer: t('信息员', 'Information officer'),
};

/**
 * District departments (区级部门): those that own steps, and those that share their data with the register
 * (plan item 47: 民政, 残联, 教育, 医保, 卫健, 住建, 人社, 统计, 水利 …), sending alerts and batches.
 */
export const DEPARTMENTS = [
  '区乡村振兴局',
  '区医保局',
  '区卫生健康委',
  '区民政局',
  '区住房城乡建委',
  '区教委',
  '区水利局',
  '区人力社保局',
  '区农业农村委',
  '区财政局',
  '区残联',
  '区统计局',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** The person or system behind an action, as the API vouches for it. Recorded with every step and signal. */
export interface Actor {
  kind: 'user' | 'integration';
  id: string;
  name: string;
  roles: Role[];
  town?: string;
  village?: string;
  department?: string;
  /**
   * For integrations (API keys): what the key may do, e.g. `start:houseRebuild`,
   * `signal:identification.departmentAlert`, `alert`, `settlement`. Users have none.
   */
  scopes?: string[];
}

/** Where a case lives; decides who may see and act on it. */
export interface Place {
  town: string;
  village: string;
}

/** Does the actor's area cover this place? (Admins and supervisors cover the district.) */
export function coversPlace(actor: Pick<Actor, 'roles' | 'town' | 'village'>, place: Place): boolean {
  if (actor.roles.includes('admin') || actor.roles.includes('district_supervisor')) return true;
  if (actor.roles.includes('town_officer') && actor.town === place.town) return true;
  if (actor.roles.includes('village_cadre') && actor.town === place.town && actor.village === place.village) return true;
  return false;
}

/**
 * Does an information officer (信息员) report for this place? District level (no town): the whole
 * district; town level: their town; village level: their village. Reporting reads the household
 * (masked) and starts an identification through the `information_officer` channel, nothing else.
 */
export function reportsFor(actor: Pick<Actor, 'roles' | 'town' | 'village'>, place: Place): boolean {
  if (!actor.roles.includes('information_officer')) return false;
  if (!actor.town) return true;
  return actor.town === place.town && (!actor.village || actor.village === place.village);
}
