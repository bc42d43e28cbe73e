/**
 * The policy's vocabulary: every coded value the processes use, with its Chinese term (as the plan
 * writes it) and an English gloss. Explained once here; schemas, workflows and the UI take it from here.
 */
import { t, type Text } from './i18n';

export type Vocabulary<K extends string> = Record<K, Text>;

/** 发现渠道: how a household at risk came to notice (plan item 43). */
export const DISCOVERY_CHANNELS = {
  self_report: t('农户自主申报', 'Self-report by the household'),
  cadre_check: t('基层干部排查', 'Check by local cadres'),
  department_alert: t('部门筛查预警', 'Department screening alert'),
  information_officer: t('信息员报告', 'Report by an information officer'),
} satisfies Vocabulary<string>;
export type DiscoveryChannel = keyof typeof DISCOVERY_CHANNELS;

/** 监测类型: monitoring category. */
export const MONITORING_CATEGORIES = {
  unstable: t('脱贫不稳定户', 'Unstable out-of-poverty household'),
  marginal: t('边缘易致贫户', 'Marginal household prone to poverty'),
  sudden_hardship: t('突发严重困难户', 'Household in sudden severe hardship'),
} satisfies Vocabulary<string>;
export type MonitoringCategory = keyof typeof MONITORING_CATEGORIES;

/** 风险类型: risk types (a household may have several). */
export const RISK_TYPES = {
  illness: t('因病', 'Illness'),
  disability: t('因残', 'Disability'),
  schooling: t('因学', 'Schooling costs'),
  disaster: t('因灾', 'Natural disaster'),
  accident: t('因意外事故', 'Accident'),
  business_failure: t('因产业项目失败', 'Failed business'),
  unstable_employment: t('因务工就业不稳', 'Unstable employment'),
  lack_of_labour: t('缺劳动力', 'Lack of labour'),
  housing: t('住房安全', 'Housing safety'),
  drinking_water: t('饮水安全', 'Drinking water'),
  other: t('其他', 'Other'),
} satisfies Vocabulary<string>;
export type RiskType = keyof typeof RISK_TYPES;

/** 三保障 and 饮水安全 plus 两不愁: what a home verification checks. */
export const GUARANTEES = {
  foodClothing: t('两不愁（吃穿）', 'Enough food and clothing'),
  education: t('义务教育', 'Compulsory education'),
  medical: t('基本医疗', 'Basic medical care'),
  housing: t('住房安全', 'Safe housing'),
  water: t('饮水安全', 'Safe drinking water'),
} satisfies Vocabulary<string>;
export type Guarantee = keyof typeof GUARANTEES;

/** 户类型: the register's status of a household. */
export const HOUSEHOLD_STATUSES = {
  ordinary: t('一般农户', 'Ordinary household'),
  out_of_poverty: t('脱贫户', 'Out-of-poverty household'),
} satisfies Vocabulary<string>;
export type HouseholdStatus = keyof typeof HOUSEHOLD_STATUSES;

/** 监测状态: whether the household is monitored (监测户). */
export const MONITORING_STATUSES = {
  none: t('未纳入监测', 'Not monitored'),
  monitored: t('监测户', 'Under monitoring'),
  eliminated: t('风险已消除', 'Risk eliminated'),
} satisfies Vocabulary<string>;
export type MonitoringStatus = keyof typeof MONITORING_STATUSES;

/** 低收入群体: low-income groups a household may belong to (several at once). */
export const LOW_INCOME_GROUPS = {
  subsistence_allowance: t('低保户', 'Minimum living allowance (dibao) household'),
  extremely_poor: t('特困人员', 'Person in extreme poverty (tekun)'),
  near_subsistence: t('低保边缘家庭', 'Family on the margin of the minimum living allowance'),
  monitoring_target: t('防止返贫监测对象', 'Monitored to prevent return to poverty'),
} satisfies Vocabulary<string>;
export type LowIncomeGroup = keyof typeof LOW_INCOME_GROUPS;

/** 房屋安全等级: the grade of a house safety appraisal (农村住房安全性鉴定). */
export const APPRAISAL_GRADES = {
  A: t('A级（安全）', 'Grade A (safe)'),
  B: t('B级（基本安全）', 'Grade B (basically safe)'),
  C: t('C级危房（局部危险，须加固）', 'Grade C (partly dangerous: reinforce)'),
  D: t('D级危房（整体危险，须拆除重建）', 'Grade D (dangerous as a whole: demolish and rebuild)'),
} satisfies Vocabulary<string>;
export type AppraisalGrade = keyof typeof APPRAISAL_GRADES;

/** 住房安全状况: the household's housing safety as the register keeps it (set by P4). */
export const HOUSING_STATUSES = {
  unknown: t('未鉴定', 'Not appraised'),
  safe: t('住房安全', 'Safe'),
  grade_c: t('C级危房', 'Grade C dangerous house'),
  grade_d: t('D级危房', 'Grade D dangerous house'),
} satisfies Vocabulary<string>;
export type HousingStatus = keyof typeof HOUSING_STATUSES;

/** 致危原因: why a house (renovated before) became dangerous again; only 自然灾害 re-qualifies it (plan item 22). */
export const DANGER_CAUSES = {
  natural_disaster: t('自然灾害', 'Natural disaster'),
  force_majeure: t('其他不可抗力', 'Other force majeure'),
  ageing: t('自然老化、年久失修', 'Ageing and lack of upkeep'),
  construction_quality: t('施工质量问题', 'Poor construction'),
  human_damage: t('人为损坏、擅自改扩建', 'Damage or unauthorised alteration'),
  other: t('其他原因', 'Other'),
} satisfies Vocabulary<string>;
export type DangerCause = keyof typeof DANGER_CAUSES;

/** 过渡安置方式: where a family lives while its D-grade house is demolished and rebuilt. */
export const TEMPORARY_HOUSING = {
  relatives: t('投亲靠友', 'With relatives or friends'),
  rental: t('租房过渡', 'Rented housing'),
  public_housing: t('政府周转房、闲置公房', 'Government transitional or vacant public housing'),
  other: t('其他方式', 'Other'),
} satisfies Vocabulary<string>;
export type TemporaryHousing = keyof typeof TEMPORARY_HOUSING;

/** 帮扶措施类别: categories of support measures in a 一户一策 plan (one plan per household). */
export const MEASURE_CATEGORIES = {
  industry: t('产业帮扶', 'Industry support'),
  employment: t('就业帮扶（含公益性岗位）', 'Employment or public-welfare post'),
  education_aid: t('教育资助', 'Education aid'),
  medical_assistance: t('医疗救助', 'Medical assistance'),
  housing: t('住房保障', 'Housing'),
  drinking_water: t('饮水保障', 'Drinking water'),
  microcredit: t('小额信贷', 'Microcredit'),
  insurance: t('综合防贫保险', 'Anti-poverty insurance'),
  subsistence: t('低保或临时救助', 'Minimum living allowance or temporary assistance'),
  consumption_support: t('消费帮扶', 'Consumption support'),
  other: t('其他', 'Other'),
} satisfies Vocabulary<string>;
export type MeasureCategory = keyof typeof MEASURE_CATEGORIES;

/** 危房发现渠道: how an unsafe house came to notice (plan items 10, 20: dynamic monitoring; campaigns; visits). */
export const HOUSING_REPORT_CHANNELS = {
  dynamic_monitoring: t('住房安全动态监测', 'Dynamic monitoring of housing safety'),
  helper_visit: t('帮扶走访发现', 'Found on a helper\'s visit'),
  campaign: t('大排查发现', 'Found by the annual campaign'),
  self_report: t('农户申请', 'Application by the household'),
  housing_system: t('住房安全信息系统推送', 'Reported by the housing system'),
} satisfies Vocabulary<string>;
export type HousingReportChannel = keyof typeof HOUSING_REPORT_CHANNELS;
