/**
 * The 办理期限 widget's model: a user task's `ff:due` text (contracts/bpmn/designed.ts) as a kind and a
 * number, and back. `calendarDays:N` and `workingDays:N` are N 个自然日 / N 个工作日, `endOfMonth` 月底,
 * anything else an ISO 8601 duration (P5D, PT48H), kept as written.
 */
import { dueRuleProblem } from '../../../contracts/bpmn/designed';

export const DUE_KINDS = ['workingDays', 'calendarDays', 'endOfMonth', 'duration'] as const;
export type DueKind = (typeof DUE_KINDS)[number];

export interface DueRule {
  kind: DueKind;
  /** Days, for calendarDays and workingDays. */
  days?: number;
  /** The ISO 8601 duration, for `duration`. */
  duration?: string;
}

/** The widget's parts of an `ff:due` text; undefined for no rule (an empty attribute). */
export function parseDueRule(text: string | undefined): DueRule | undefined {
  if (!text) return undefined;
  const m = /^(calendarDays|workingDays):(\d+)$/.exec(text);
  if (m) return { kind: m[1] as DueKind, days: Number(m[2]) };
  if (text === 'endOfMonth') return { kind: 'endOfMonth' };
  return { kind: 'duration', duration: text };
}

/** The `ff:due` text of the widget's parts (`''` when the parts say nothing yet). */
export function formatDueRule(rule: DueRule | undefined): string {
  if (!rule) return '';
  switch (rule.kind) {
    case 'calendarDays':
    case 'workingDays':
      return rule.days === undefined || Number.isNaN(rule.days) ? '' : `${rule.kind}:${rule.days}`;
    case 'endOfMonth':
      return 'endOfMonth';
    case 'duration':
      return (rule.duration ?? '').trim().toUpperCase();
  }
}

/** The widget's parts when the kind changes: the days carry over, a duration starts at five days. */
export function switchDueKind(rule: DueRule | undefined, kind: DueKind): DueRule {
  if (kind === 'endOfMonth') return { kind };
  if (kind === 'duration') return { kind, duration: rule?.duration ?? (rule?.days ? `P${rule.days}D` : 'P5D') };
  return { kind, days: rule?.days ?? 5 };
}

/**
 * Which part to correct when the shared check (dueRuleProblem) refuses the rule: the days or the duration,
 * so the widget says it in words (the shared check's own message names the rule's codes).
 */
export function dueProblem(rule: DueRule | undefined): 'days' | 'duration' | undefined {
  if (!rule) return undefined;
  const text = formatDueRule(rule);
  if (!dueRuleProblem(text)) return undefined;
  return rule.kind === 'duration' ? 'duration' : 'days';
}
