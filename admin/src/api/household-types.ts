/** The household page's parts as the API answers them: members and the contact cadre. */

/** 家庭成员 (GET /api/households/{id}/members). */
export interface HouseholdMember {
  id?: number;
  name: string;
  idNumber: string;
  relation: string;
  student: boolean;
  disabilityGrade: number | null;
  labourCapacity: string;
  insured: boolean;
}

/** 包户干部 and its changes (GET /api/households/{id}/contact-cadre). */
export interface ContactCadreAnswer {
  householdId: string;
  current: { id: string; name: string; since: string | null } | null;
  history: { from: { id: string; name: string } | null; to: { id: string; name: string }; by: { id: string; name: string }; reason: string | null; at: string }[];
}
