/** Staffing of 信息员 as the API answers it. */

interface Staffing {
  required: number;
  staffed: number;
  shortfall: number;
}
/** 信息员 staffing against the plan (GET /api/stats/information-officers). */
export interface InformationOfficerStaffing {
  plan: { district: number; town: number; village: number };
  district: Staffing | null;
  towns: (Staffing & { town: string; villages: (Staffing & { village: string })[] })[];
  total: Staffing;
}
