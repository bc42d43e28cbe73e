/**
 * The comparison rules, as data: each names the indicator it reads, the risk type it suggests (the
 * identification's vocabulary) and, where it has one, the policy value it compares with (versioned
 * with the policy). `GET /api/data-exchange/rules` shows them with the values in force.
 */
import { t, type Text } from '../../contracts/i18n';
import type { MeasureCategory, RiskType } from '../../contracts/vocabulary';
import type { Policy } from '../../policy';
import type { FiredRule } from './contract';

/** The standard indicators a department's record may carry (API.md, "Department data exchange"). */
export interface Indicators {
  perCapitaIncome?: number;
  outOfPocket?: number;
  disabilityGrade?: number;
  droppedOut?: boolean;
  houseGrade?: 'A' | 'B' | 'C' | 'D';
  subsistenceCancelled?: boolean;
  unemployed?: boolean;
}
export type Indicator = keyof Indicators;

export const INDICATORS: Record<Indicator, Text> = {
  perCapitaIncome: t('人均纯收入（元/年）', 'Per-capita income (yuan/year)'),
  outOfPocket: t('本年个人自付医疗费用（元）', 'Out-of-pocket medical costs this year (yuan)'),
  disabilityGrade: t('残疾等级', 'Disability grade'),
  droppedOut: t('辍学', 'Dropped out of school'),
  houseGrade: t('房屋安全鉴定等级', 'House safety grade'),
  subsistenceCancelled: t('低保取消', 'Subsistence allowance cancelled'),
  unemployed: t('失业', 'Unemployed'),
};

/** What a rule compares with: the year's monitoring line, the P3 threshold, the household's monitoring. */
export interface RuleContext {
  year: number;
  monitoringLine?: number;
  outOfPocketThreshold: number;
  monitored: boolean;
}

export interface ExchangeRule {
  key: string;
  title: Text;
  indicator: Indicator;
  riskType: RiskType;
  /** The policy value the rule reads, as a path of the policy (absent: none). */
  policyField?: string;
  /** The threshold in force, in words (for the rules page). */
  value?: (policy: Policy, year: number) => string | undefined;
  /**
   * The measure it suggests for the 一户一策 plan of a household already monitored (P2's `addMeasure`),
   * where one applies: its category and what to do.
   */
  measure?: { category: MeasureCategory; target: string };
  /** Did the rule go off on these indicators? Answers the text the cadre and the department read. */
  check: (i: Indicators, c: RuleContext) => string | undefined;
}

const yuan = (n: number) => `¥${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The year's monitoring line (监测标准), or the latest earlier year's when the year has none yet. */
export function monitoringLineOf(policy: Pick<Policy, 'dataExchange'>, year: number): number | undefined {
  const years = Object.keys(policy.dataExchange.monitoringLine)
    .map(Number)
    .filter((y) => y <= year)
    .sort((a, b) => b - a);
  return years.length ? policy.dataExchange.monitoringLine[String(years[0])] : undefined;
}

export const EXCHANGE_RULES: ExchangeRule[] = [
  {
    key: 'incomeBelowLine',
    title: t('人均纯收入低于监测标准', 'Per-capita income below the monitoring line'),
    indicator: 'perCapitaIncome',
    riskType: 'other',
    policyField: 'dataExchange.monitoringLine',
    value: (p, year) => {
      const line = monitoringLineOf(p, year);
      return line === undefined ? undefined : `${yuan(line)}/人·年`;
    },
    measure: { category: 'employment', target: '核实收入下降原因，落实就业或产业帮扶，使收入稳定在监测标准以上' },
    check: (i, c) => (i.perCapitaIncome !== undefined && c.monitoringLine !== undefined && i.perCapitaIncome < c.monitoringLine ? `人均纯收入 ${yuan(i.perCapitaIncome)}，低于${c.year}年监测标准 ${yuan(c.monitoringLine)}` : undefined),
  },
  {
    key: 'outOfPocketAboveThreshold',
    title: t('自付医疗费用超过大病救助标准', 'Out-of-pocket costs above the critical-illness threshold'),
    indicator: 'outOfPocket',
    riskType: 'illness',
    policyField: 'illnessRelief.threshold.fixedAmount',
    value: (p) => yuan(p.illnessRelief.threshold.fixedAmount),
    measure: { category: 'medical_assistance', target: '落实医保报销和医疗救助，必要时申请大病救助' },
    check: (i, c) => (i.outOfPocket !== undefined && i.outOfPocket > c.outOfPocketThreshold ? `本年个人自付医疗费用 ${yuan(i.outOfPocket)}，超过 ${yuan(c.outOfPocketThreshold)}` : undefined),
  },
  {
    key: 'newDisability',
    title: t('新办残疾证', 'New disability certificate'),
    indicator: 'disabilityGrade',
    riskType: 'disability',
    measure: { category: 'other', target: '落实残疾人两项补贴和康复服务' },
    check: (i) => (i.disabilityGrade !== undefined ? `新办残疾证，残疾等级 ${i.disabilityGrade} 级` : undefined),
  },
  {
    key: 'droppedOut',
    title: t('学生辍学', 'Dropped out of school'),
    indicator: 'droppedOut',
    riskType: 'schooling',
    measure: { category: 'education_aid', target: '劝返复学，落实教育资助' },
    check: (i) => (i.droppedOut ? '学生辍学' : undefined),
  },
  {
    key: 'unsafeHouse',
    title: t('房屋鉴定为C级或D级危房', 'House appraised grade C or D'),
    indicator: 'houseGrade',
    riskType: 'housing',
    measure: { category: 'housing', target: '组织危房改造或落实其他住房保障' },
    check: (i) => (i.houseGrade === 'C' || i.houseGrade === 'D' ? `房屋安全鉴定为 ${i.houseGrade} 级危房` : undefined),
  },
  {
    key: 'subsistenceCancelledMonitored',
    title: t('监测户低保被取消', 'Subsistence allowance cancelled for a monitored household'),
    indicator: 'subsistenceCancelled',
    riskType: 'other',
    measure: { category: 'subsistence', target: '核实低保取消原因，符合条件的落实临时救助或重新纳入低保' },
    check: (i, c) => (i.subsistenceCancelled && c.monitored ? '监测户低保被取消' : undefined),
  },
  {
    key: 'unemployed',
    title: t('失业', 'Unemployed'),
    indicator: 'unemployed',
    riskType: 'unstable_employment',
    measure: { category: 'employment', target: '提供就业服务，落实就业帮扶或公益性岗位' },
    check: (i) => (i.unemployed ? '失业' : undefined),
  },
];

/** The rule of a key (a fired rule names its rule by key). */
export const exchangeRule = (key: string): ExchangeRule | undefined => EXCHANGE_RULES.find((r) => r.key === key);

/** The rules that go off on a record's indicators. */
export function evaluateRules(indicators: Indicators, context: RuleContext): FiredRule[] {
  return EXCHANGE_RULES.flatMap((r) => {
    const text = r.check(indicators, context);
    return text ? [{ rule: r.key, riskType: r.riskType, text }] : [];
  });
}
