/**
 * A case's number as people read it out on the phone and write it on paper: `认定-2026-0012` (the
 * process in two characters, the year the case started in Beijing time, its place among that year's
 * cases of the process). The read model numbers each case once, when it first sees it
 * (activities/read-model.ts); the workflow id (`identification:H…:1`) stays the technical key.
 */
const PREFIXES: Record<string, string> = {
  identification: '认定',
  helperAssignment: '帮扶',
  houseRebuild: '危改',
  illnessRelief: '医救',
  campaign: '排查',
  outOfPovertyVisit: '走访',
  rectification: '整改',
};

/** The process's part of the number (`案件` for a type not named here). */
export const caseNumberPrefix = (type: string): string => PREFIXES[type] ?? '案件';

/** The year a case started, in Beijing time. */
export const caseYear = (startedAt: Date): number => new Date(startedAt.getTime() + 8 * 3600_000).getUTCFullYear();

/** The counter a case's number is taken from: one per process and year. */
export const caseCounterKey = (type: string, startedAt: Date): string => `${caseNumberPrefix(type)}-${caseYear(startedAt)}`;

/** `认定-2026-0012` from the counter's key and the number taken. */
export const formatCaseNumber = (counterKey: string, n: number): string => `${counterKey}-${String(n).padStart(4, '0')}`;
