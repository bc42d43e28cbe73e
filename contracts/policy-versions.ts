/** A policy version as the API lists it (`GET /api/policy/versions`): the server answers it, the console reads it. */
export type PolicyStatus = 'draft' | 'scheduled' | 'active' | 'retired';

export interface VersionSummary {
  id: string;
  version: number;
  name: string;
  status: PolicyStatus;
  effectiveFrom: string;
  digest: string;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  note: string;
  activatedBy: string | null;
  activatedByName: string | null;
  activatedAt: string | null;
}

/** One changed value against the version in force, in people's words too. */
export interface PolicyChange {
  path: string;
  /** The field's title (“监测对象认定 · 公示最短期限”). */
  title: string;
  from: unknown;
  to: unknown;
  /** Both values in people's words (“5 天”, “7 天”). */
  fromText: string;
  toText: string;
}
