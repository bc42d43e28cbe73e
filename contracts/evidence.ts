/**
 * Evidence fields (issue 22): which step forms hold evidence, in which field, what it is in people's
 * words, and whether only photos count. How many files each needs (0: none required), how large a step's
 * files may be together, and when a photo is flagged to the reviewer are policy values (policy/evidence.ts,
 * the `evidence` section of a policy version). Plan item 45 (the notice is posted and seen), item 21
 * (acceptance on site; the subsidy paid against its voucher), item 49 (a fix without credible evidence is a false or perfunctory fix).
 */
import { t, type Text } from './i18n';

export interface EvidenceField {
  /** The step form's file-id field. */
  field: string;
  /** Photos only (JPEG, PNG, WebP, HEIC), no PDF. */
  photos?: boolean;
  what: Text;
}

/** `<process type>` → `<step key>` → its evidence field. */
export const EVIDENCE_FIELDS: Record<string, Record<string, EvidenceField>> = {
  identification: { publicNotice: { field: 'photos', photos: true, what: t('张贴公示的现场照片', 'a photo of the posted notice') } },
  helperAssignment: { publicNotice: { field: 'photos', photos: true, what: t('张贴公示的现场照片', 'a photo of the posted notice') } },
  houseRebuild: {
    acceptance: { field: 'sitePhotos', photos: true, what: t('验收现场照片', 'site photos of the inspection') },
    payment: { field: 'voucher', what: t('补助资金发放凭证', 'the payment voucher') },
  },
  rectification: { fix: { field: 'evidence', what: t('整改佐证材料（照片或凭证）', 'evidence of the fix (a photo or a document)') } },
};

export interface RequiredEvidence extends EvidenceField {
  min: number;
}

/** What a step needs under the policy's `evidence.required` counts (none where the count is 0 or absent). */
export function requiredEvidence(required: Record<string, Record<string, number>>, type: string, stepKey: string): RequiredEvidence[] {
  const field = EVIDENCE_FIELDS[type]?.[stepKey];
  const min = required[type]?.[stepKey] ?? 0;
  return field && min > 0 ? [{ ...field, min }] : [];
}
