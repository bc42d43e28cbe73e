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
