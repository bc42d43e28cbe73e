/**
 * Required evidence (issue 22): which steps may not be completed without which uploaded files. A step
 * listed here is refused (422 naming the field) until its field holds at least `min` files the caller
 * may use, photos only where `photos` is set. Plan item 45 (the notice is posted and seen), item 21
 * (acceptance on site), item 49 (a fix without credible evidence is a false or perfunctory fix).
 */
import { t, type Text } from './i18n';

export interface RequiredEvidence {
  /** The step form's file-id field. */
  field: string;
  min: number;
  /** Photos only (JPEG, PNG, WebP, HEIC), no PDF. */
  photos?: boolean;
  what: Text;
}

/** `<process type>.<step key>` → what it needs. */
export const REQUIRED_EVIDENCE: Record<string, RequiredEvidence[]> = {
  'identification.publicNotice': [{ field: 'photos', min: 1, photos: true, what: t('张贴公示的现场照片', 'a photo of the posted notice') }],
  'helperAssignment.publicNotice': [{ field: 'photos', min: 1, photos: true, what: t('张贴公示的现场照片', 'a photo of the posted notice') }],
  'houseRebuild.acceptance': [{ field: 'sitePhotos', min: 1, photos: true, what: t('验收现场照片', 'site photos of the inspection') }],
  'rectification.fix': [{ field: 'evidence', min: 1, what: t('整改佐证材料（照片或凭证）', 'evidence of the fix (a photo or a document)') }],
};

/** A photo taken more than this many days before the step that used it is flagged to the reviewer (not refused). */
export const PHOTO_AGE_WARNING_DAYS = 7;

export const requiredEvidence = (type: string, stepKey: string): RequiredEvidence[] => REQUIRED_EVIDENCE[`${type}.${stepKey}`] ?? [];
