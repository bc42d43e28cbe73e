/**
 * The policy's values described for people and for the console's editor: a JSON Schema (TypeBox) with
 * each field's Chinese title, the plan item it comes from, its unit and its bounds; the legal bounds the
 * plan itself sets (a draft below them is refused, naming the item); and each value in people's words
 * (“公示最短期限：5 天 → 7 天”). The sections' checkers (processes/<type>/policy.ts) stay the authority on
 * shape; this schema says the same in a form a client can render, and tests/policy.test.ts keeps the two
 * in step (the shipped file validates against it).
 */
import Type, { type TSchema } from 'typebox';
import { REVIEW_STEP_KEYS } from '../contracts/review';
import { DEPARTMENTS } from '../contracts/roles';
import { describeDueRule, type DueRule } from '../contracts/due';
import { MAX_DAY_COUNT, parseIsoDuration } from '../calendar';
import { CAMPAIGN_HOUSEHOLD_GROUPS, PROBLEM_CATEGORIES, PROBLEM_CATEGORY_KEYS } from '../processes/campaign/contract';
import { HELPER_LEVELS } from '../processes/helper-assignment/contract';
import { HOUSE_REBUILD_GROUPS } from '../processes/house-rebuild/contract';
import { DANGER_CAUSES } from '../contracts/vocabulary';
import type { Text } from '../contracts/i18n';
import { MAX_BACKDATE_DAYS, PolicyError } from './check';
import { EVIDENCE_FIELDS } from '../contracts/evidence';
import { MAX_REQUIRED_FILES } from './evidence';
import { MAX_OFFICERS_PER_UNIT } from './staffing';
import { processType } from '../processes';

const DAY_MS = 86_400_000;

/** Annotations the console reads besides JSON Schema's own: which plan item, which unit, which editor. */
interface Field {
  title: string;
  planItem?: number | string;
  unit?: string;
  description?: string;
}
const notes = (f: Field) => ({
  title: f.title,
  ...(f.description ? { description: f.description } : {}),
  ...(f.planItem !== undefined ? { 'x-planItem': f.planItem } : {}),
  ...(f.unit ? { 'x-unit': f.unit } : {}),
});

const count = (title: string) => Type.Integer({ title, minimum: 0, maximum: MAX_DAY_COUNT });
/** A deadline rule: calendar days, working days, the end of the month, or an exact duration. */
const dueRule = (f: Field) =>
  Type.Union(
    [
      Type.Object({ calendarDays: count('自然日') }, { additionalProperties: false, title: '自然日' }),
      Type.Object({ workingDays: count('工作日') }, { additionalProperties: false, title: '工作日' }),
      Type.Object({ endOfMonth: Type.Literal(true, { title: '当月月底' }) }, { additionalProperties: false, title: '当月月底' }),
      Type.Object({ duration: Type.String({ title: '时长', pattern: '^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$' }) }, { additionalProperties: false, title: '时长' }),
    ],
    { ...notes(f), 'x-editor': 'dueRule' },
  );
/** An ISO 8601 duration (P5D, PT36H). */
const duration = (f: Field & { minimumDays?: number }) =>
  Type.String({ ...notes(f), pattern: '^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$', 'x-editor': 'duration', ...(f.minimumDays ? { 'x-minimumDays': f.minimumDays } : {}) });
const integer = (f: Field, minimum: number, maximum: number) => Type.Integer({ ...notes(f), minimum, maximum });
const yuan = (f: Field, maximum: number) => Type.Number({ ...notes(f), 'x-unit': '元', 'x-editor': 'money', minimum: 1, maximum });

/** A list of one or more of a vocabulary's values, each with its Chinese title. */
const choices = (f: Field, vocabulary: Record<string, Text>) =>
  Type.Array(Type.Union(Object.entries(vocabulary).map(([k, v]) => Type.Literal(k, { title: v.zh }))), { ...notes(f), minItems: 1, uniqueItems: true, 'x-editor': 'choices' });

const REVIEW_STEP_TITLES: Record<(typeof REVIEW_STEP_KEYS)[number], string> = {
  homeVerification: '入户核实',
  villageReview: '村级民主评议',
  publicNotice: '村内公示',
  objectionReview: '异议处理',
  townReview: '乡镇审核',
  districtApproval: '区级审定',
};
const reviewSteps = (title: string, planItem: number | string) =>
  Type.Object(Object.fromEntries(REVIEW_STEP_KEYS.map((k) => [k, dueRule({ title: `${REVIEW_STEP_TITLES[k]}期限`, planItem })])), { title, additionalProperties: false });

/** How far before the approval day the district's decision may take effect (optional; never in the future, never before the case). */
const backdate = (title: string) =>
  Type.Optional(integer({ title, unit: '天', description: '区级审定的生效日期不能晚于审定当日，不能早于办理开始之日，最多早于审定当日这么多天' }, 0, MAX_BACKDATE_DAYS));

/** 公示不少于5天 (item 45): the least any notice minimum may be. */
export const NOTICE_MINIMUM_DAYS = 5;

const identification = Type.Object(
  {
    overallLimit: dueRule({ title: '认定总时限', planItem: 45, description: '从发起到区级审定，认定时间不超过15天' }),
    noticeMinimum: duration({ title: '公示最短期限', planItem: 45, minimumDays: NOTICE_MINIMUM_DAYS, description: '公示不少于5天：期满前不能结束公示' }),
    backdateDays: backdate('认定生效日期最多可早于审定日的天数'),
    steps: reviewSteps('各环节期限', '43–47'),
  },
  { title: '监测对象认定', additionalProperties: false, 'x-planItem': '43–47' },
);

const helperAssignment = Type.Object(
  {
    assignmentLimit: dueRule({ title: '明确帮扶责任人时限', planItem: 46, description: '纳入监测后10个工作日内明确帮扶责任人、制定帮扶措施' }),
    visitDue: dueRule({ title: '每月走访期限', planItem: 46, description: '帮扶责任人每月至少走访1次' }),
    eliminationMinimumMonths: integer({ title: '风险消除最短监测期', unit: '个月' }, 0, 120),
    eliminationRevertWindow: dueRule({ title: '风险消除可撤销期限' }),
    historyEventLimit: integer({ title: '流程历史事件上限（技术参数）', unit: '条' }, 200, 40_000),
    elimination: Type.Object(
      {
        noticeMinimum: duration({ title: '风险消除公示最短期限', planItem: 45, minimumDays: NOTICE_MINIMUM_DAYS }),
        backdateDays: backdate('风险消除生效日期最多可早于审定日的天数'),
        steps: reviewSteps('风险消除各环节期限', 46),
      },
      { title: '风险消除程序', additionalProperties: false },
    ),
    helperLevels: Type.Optional(choices({ title: '帮扶责任人可来自的层级', planItem: 7, description: '区镇村三级继续对脱贫户进行联系帮扶；不填为三级均可' }, HELPER_LEVELS)),
  },
  { title: '帮扶', additionalProperties: false, 'x-planItem': '7, 46' },
);

const HOUSE_STEP_TITLES = {
  eligibility: '资格审核',
  appraisal: '房屋安全鉴定',
  plan: '改造方案',
  temporaryHousing: '过渡安置',
  demolition: '拆除旧房',
  constructionStart: '开工',
  acceptance: '竣工验收',
  payment: '补助资金发放',
} as const;
const GRADE_TITLES = { C: 'C级（加固）', D: 'D级（拆除重建）' } as const;

const houseRebuild = Type.Object(
  {
    steps: Type.Object(Object.fromEntries(Object.entries(HOUSE_STEP_TITLES).map(([k, title]) => [k, dueRule({ title: `${title}期限`, planItem: '20–22' })])), { title: '各环节期限', additionalProperties: false }),
    construction: Type.Object(Object.fromEntries(Object.entries(GRADE_TITLES).map(([k, title]) => [k, dueRule({ title: `${title}施工期限` })])), { title: '施工期限', additionalProperties: false }),
    rework: dueRule({ title: '验收不合格整改期限' }),
    subsidy: Type.Object(Object.fromEntries(Object.entries(GRADE_TITLES).map(([k, title]) => [k, Type.Integer({ title: `${title}补助标准`, 'x-unit': '元', 'x-editor': 'money', minimum: 1, maximum: 1_000_000 })])), {
      title: '补助标准（元/户）',
      additionalProperties: false,
    }),
    eligibleGroups: Type.Optional(choices({ title: '可纳入危房改造的农村低收入群体', planItem: 20 }, HOUSE_REBUILD_GROUPS)),
    reEligibleCauses: Type.Optional(
      choices({ title: '已改造住房可再次纳入的致危原因', planItem: 22, description: '已实施过农村危房改造但由于自然灾害等原因又变成危房且农户符合条件的，可再次纳入支持范围' }, DANGER_CAUSES),
    ),
  },
  { title: '农村危房改造', additionalProperties: false, 'x-planItem': '20–22' },
);

const ILLNESS_STEP_TITLES = {
  expenseVerification: '费用核实',
  medicalAssistance: '落实医疗救助',
  impactAssessment: '影响基本生活评估',
  opinion: '一事一议意见',
  decision: '一事一议决定',
  disbursement: '救助发放',
} as const;

const illnessRelief = Type.Object(
  {
    threshold: Type.Object(
      {
        fixedAmount: yuan({ title: '年度自付费用门槛', planItem: 18 }, 10_000_000),
        incomeShare: Type.Optional(Type.Number({ title: '占家庭年收入比例', minimum: 0.01, maximum: 10, 'x-editor': 'share' })),
        combine: Type.Union([Type.Literal('lower', { title: '取较低者' }), Type.Literal('higher', { title: '两者均须超过' })], { title: '两项门槛的组合' }),
      },
      { title: '启动门槛', additionalProperties: false },
    ),
    steps: Type.Object(Object.fromEntries(Object.entries(ILLNESS_STEP_TITLES).map(([k, title]) => [k, dueRule({ title: `${title}期限`, planItem: 18 })])), { title: '各环节期限', additionalProperties: false }),
  },
  { title: '大病一事一议特殊救助', additionalProperties: false, 'x-planItem': 18 },
);

const months = Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { title: '走访月份', minItems: 1, uniqueItems: true, 'x-editor': 'months', 'x-planItem': 7 });

const outOfPovertyVisits = Type.Object(
  {
    months,
    dayOfMonth: integer({ title: '每轮开始日', unit: '日' }, 1, 28),
    hour: integer({ title: '每轮开始时刻', unit: '时' }, 0, 23),
    due: dueRule({ title: '走访期限', planItem: 7 }),
  },
  { title: '脱贫户走访', additionalProperties: false, 'x-planItem': 7 },
);

const campaign = Type.Object(
  {
    formTeams: dueRule({ title: '组建走访小组期限', planItem: 51 }),
    analysis: dueRule({ title: '问题研判期限', planItem: 51 }),
    recheck: dueRule({ title: '整改复核期限', planItem: 51 }),
    housingPollHours: integer({ title: '危房改造进度查询间隔', unit: '小时' }, 1, 24 * 30),
    householdGroups: Type.Optional(
      Type.Union([Type.Literal('all', { title: '所选镇的全部农户' }), choices({ title: '限定户类别' }, CAMPAIGN_HOUSEHOLD_GROUPS)], {
        ...notes({ title: '走访范围', planItem: 51, description: '默认为所选镇的全部农户；区里可限定为脱贫户、监测户等类别' }),
        'x-editor': 'choices',
      }),
    ),
    visitsPerRun: Type.Optional(integer({ title: '每批开启走访户数（技术参数）', unit: '户' }, 1, 1000)),
    schedule: Type.Optional(
      Type.Object(
        {
          month: integer({ title: '每年开始月份', unit: '月' }, 1, 12),
          dayOfMonth: integer({ title: '开始日', unit: '日' }, 1, 28),
          hour: integer({ title: '开始时刻', unit: '时' }, 0, 23),
          visitDays: integer({ title: '走访天数', unit: '天' }, 1, 365),
          rectifyDays: integer({ title: '整改天数（自开始起，不少于走访天数）', unit: '天' }, 1, 730),
        },
        { title: '年度自动开始', additionalProperties: false, 'x-planItem': 51 },
      ),
    ),
    departments: Type.Object(
      Object.fromEntries(PROBLEM_CATEGORY_KEYS.map((c) => [c, Type.Union(DEPARTMENTS.map((d) => Type.Literal(d)), { title: `${PROBLEM_CATEGORIES[c].zh}问题责任部门`, 'x-editor': 'department' })])),
      { title: '问题类别对应责任部门', additionalProperties: false },
    ),
  },
  { title: '大走访、大排查、大整改', additionalProperties: false, 'x-planItem': '49, 51' },
);

const evidence = Type.Object(
  {
    required: Type.Object(
      Object.fromEntries(
        Object.entries(EVIDENCE_FIELDS).map(([type, steps]) => [
          type,
          Type.Object(Object.fromEntries(Object.entries(steps).map(([k, f]) => [k, integer({ title: `须上传${f.what.zh}`, unit: '份', description: '0 为不强制' }, 0, MAX_REQUIRED_FILES)])), { title: processType(type)?.title.zh ?? type, additionalProperties: false }),
        ]),
      ),
      { title: '各环节必须上传的佐证材料', additionalProperties: false, 'x-planItem': '21, 45, 49' },
    ),
    stepMegabytes: integer({ title: '每个环节文件合计上限', unit: 'MB' }, 1, 1000),
    photoMaxAgeDays: integer({ title: '照片拍摄早于环节开始超过此天数时提示审核人', unit: '天' }, 1, 3650),
    photoMaxDistanceKm: Type.Number({ ...notes({ title: '照片拍摄地点距村超过此距离时提示审核人', unit: '公里' }), minimum: 0.1, maximum: 1000 }),
  },
  { title: '佐证材料', additionalProperties: false },
);

const dataExchange = Type.Object(
  {
    monitoringLine: Type.Record(Type.String({ pattern: '^20\\d\\d$' }), yuan({ title: '监测标准（人均纯收入）', unit: '元/人·年', planItem: 16 }, 1_000_000), {
      ...notes({ title: '各年度监测标准', planItem: 16, description: '按年度填写全省公布的防止返贫监测标准；某年未填写时沿用此前最近一年的标准；一年也未填写时不做收入比对' }),
    }),
    verification: dueRule({ title: '比对预警核实期限', planItem: 47 }),
  },
  { title: '部门数据比对', additionalProperties: false, 'x-planItem': '16, 43, 47' },
);

const supervision = Type.Object(
  { reply: dueRule({ title: '督办反馈期限', planItem: 6 }) },
  { title: '督办', additionalProperties: false, 'x-planItem': 6 },
);

const staffing = Type.Object(
  {
    informationOfficers: Type.Object(
      {
        district: integer({ title: '区级信息员', unit: '名', planItem: 16 }, 0, MAX_OFFICERS_PER_UNIT),
        town: integer({ title: '每镇信息员', unit: '名', planItem: 16 }, 0, MAX_OFFICERS_PER_UNIT),
        village: integer({ title: '每村信息员', unit: '名', planItem: 16 }, 0, MAX_OFFICERS_PER_UNIT),
      },
      { title: '信息员配备标准', additionalProperties: false, 'x-planItem': 16 },
    ),
  },
  { title: '人员配备', additionalProperties: false },
);

/** The JSON Schema of a version's values (`GET /api/policy` answers it as `schema`). */
export const POLICY_SCHEMA = Type.Object(
  { identification, houseRebuild, helperAssignment, illnessRelief, outOfPovertyVisits, campaign, dataExchange, supervision, evidence, staffing },
  { title: '政策参数', additionalProperties: false },
);

// ---------------------------------------------------------------- fields by path

/** The schema of the field at `path` (`identification.steps.homeVerification`, `outOfPovertyVisits.months[0]`). */
export function fieldSchema(path: string): (TSchema & Record<string, unknown>) | undefined {
  let s: Record<string, any> | undefined = POLICY_SCHEMA;
  for (const part of path.replace(/\[\d+\]/g, '.[]').split('.')) {
    if (!s) return undefined;
    if (part === '[]') s = s.items;
    else s = s.properties?.[part];
  }
  return s as (TSchema & Record<string, unknown>) | undefined;
}

/** The field's title with those of the sections above it (“监测对象认定 · 公示最短期限”). */
export function fieldTitle(path: string): string {
  const parts = path.replace(/\[\d+\]/g, '').split('.');
  const titles: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const title = fieldSchema(parts.slice(0, i).join('.'))?.title;
    if (typeof title === 'string' && (i === parts.length || title !== '各环节期限')) titles.push(title);
  }
  return titles.length ? titles.join(' · ') : path;
}

// ---------------------------------------------------------------- in people's words

const DAYS = /^P(\d+)D$/;
function durationText(v: string): string {
  const days = DAYS.exec(v);
  if (days) return `${days[1]} 天`;
  try {
    const ms = parseIsoDuration(v);
    if (ms % 3_600_000 === 0) return `${ms / 3_600_000} 小时`;
    if (ms % 60_000 === 0) return `${ms / 60_000} 分钟`;
    return `${ms / 1000} 秒`;
  } catch {
    return v;
  }
}

/** Every `const` in a schema with its title (a list's items, a union's branches). */
function choiceTitles(s: unknown, out = new Map<unknown, string>()): Map<unknown, string> {
  if (!s || typeof s !== 'object') return out;
  const o = s as { const?: unknown; title?: string; anyOf?: unknown[]; items?: unknown };
  if ('const' in o && typeof o.title === 'string') out.set(o.const, o.title);
  for (const b of o.anyOf ?? []) choiceTitles(b, out);
  choiceTitles(o.items, out);
  return out;
}

const money = (n: number) => `¥${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A value as people write it: “5 天”, “10 个工作日”, “¥7,500.00”, “3月、8月、11月”, “区民政局”. */
export function describeValue(path: string, value: unknown): string {
  if (value === undefined || value === null) return '（未设置）';
  const s = fieldSchema(path) as Record<string, unknown> | undefined;
  const editor = s?.['x-editor'];
  if (editor === 'dueRule' && typeof value === 'object') {
    const rule = value as DueRule;
    return 'duration' in rule ? durationText(rule.duration) : describeDueRule(rule).zh;
  }
  if (editor === 'duration' && typeof value === 'string') return durationText(value);
  if (editor === 'money' && typeof value === 'number') return money(value);
  if (editor === 'months' && Array.isArray(value)) return value.map((m) => `${m}月`).join('、');
  if (editor === 'choices') {
    const titles = choiceTitles(s);
    return (Array.isArray(value) ? value : [value]).map((v) => titles.get(v) ?? String(v)).join('、');
  }
  if (editor === 'share' && typeof value === 'number') return `${Math.round(value * 1000) / 10}%`;
  if (s && 'anyOf' in s && typeof value === 'string') {
    const option = (s.anyOf as Record<string, unknown>[]).find((o) => o.const === value);
    if (typeof option?.title === 'string') return option.title;
  }
  if (typeof value === 'number' && typeof s?.['x-unit'] === 'string') return `${value} ${s['x-unit']}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// ---------------------------------------------------------------- legal bounds

/** Bounds the plan itself sets: a version below them is refused (the file a developer ships is not held to them: test policies use seconds). */
export const LEGAL_BOUNDS: { path: string; minimumDays: number; planItem: number; rule: string }[] = [
  { path: 'identification.noticeMinimum', minimumDays: NOTICE_MINIMUM_DAYS, planItem: 45, rule: '公示不少于5天' },
  { path: 'helperAssignment.elimination.noticeMinimum', minimumDays: NOTICE_MINIMUM_DAYS, planItem: 45, rule: '公示不少于5天' },
];

export interface PolicyProblem {
  field: string;
  rule: string;
  message: string;
}

const at = (values: unknown, path: string): unknown => path.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), values);

/** The legal bounds `values` (already checked in shape) fall below. */
export function legalBoundProblems(values: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const b of LEGAL_BOUNDS) {
    const v = at(values, b.path);
    if (typeof v !== 'string') continue;
    if (parseIsoDuration(v) < b.minimumDays * DAY_MS) {
      problems.push({
        field: b.path,
        rule: 'legal_minimum',
        message: `${fieldTitle(b.path)}不得少于 ${b.minimumDays} 天（实施方案第${b.planItem}项：${b.rule}），现为 ${describeValue(b.path, v)} (at least ${b.minimumDays} days, plan item ${b.planItem})`,
      });
    }
  }
  return problems;
}

// ---------------------------------------------------------------- a checker's refusal in Chinese

/** What a section checker's rule (policy/check.ts, calendar validateDueRule) says, in Chinese. */
function ruleZh(rule: string): { rule: string; zh: string } {
  const range = /must be (?:a number|an integer) from (-?[\d.]+) to (-?[\d.]+)/.exec(rule);
  if (range) return { rule: 'range', zh: `须在 ${range[1]} 到 ${range[2]} 之间` };
  if (/^is required/.test(rule)) return { rule: 'required', zh: '必须填写' };
  if (/^unknown key/.test(rule)) return { rule: 'unknown', zh: '不是政策参数（多余的字段）' };
  if (/must be a whole number/.test(rule)) return { rule: 'integer', zh: '须为整数' };
  if (/must be a mapping/.test(rule)) return { rule: 'type', zh: '格式不对（应为一组字段）' };
  if (/ISO 8601 duration|duration/.test(rule) && !/due rule/.test(rule)) return { rule: 'duration', zh: '须为时长，如 P5D（5 天）' };
  if (/longer than zero/.test(rule)) return { rule: 'range', zh: '须大于零' };
  if (/invalid due rule/.test(rule)) return { rule: 'due_rule', zh: '期限规则无效：须为自然日、工作日、当月月底或时长之一' };
  if (/must be a list of one or more/.test(rule)) return { rule: 'choices', zh: '须从可选值中选择一项或多项（不重复）' };
  if (/must be one of/.test(rule)) return { rule: 'enum', zh: '不是可选的值' };
  if (/must be lower or higher/.test(rule)) return { rule: 'enum', zh: '须为“取较低者”或“两者均须超过”' };
  if (/list of months/.test(rule)) return { rule: 'months', zh: '须为 1–12 月中的一个或多个月份' };
  return { rule: 'invalid', zh: '取值不符合规则' };
}

/** A section checker's PolicyError as a 400's detail: the key path, the rule, a Chinese message (the English after it). */
export function policyProblem(err: PolicyError): PolicyProblem {
  const english = err.message.slice(err.key.length + 2);
  const { rule, zh } = ruleZh(english);
  return { field: err.key, rule, message: `${fieldTitle(err.key)}：${zh} (${err.key}: ${english})` };
}
