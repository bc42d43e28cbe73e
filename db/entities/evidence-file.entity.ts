import { defineEntity, p } from '@mikro-orm/core';

/** A case step that used a file: the file is then readable by whoever may see that case. */
export interface FileAttachment {
  processId: string;
  stepKey: string;
  stepId?: string;
  field: string;
}

/**
 * 佐证材料: one upload (issue 22). The bytes live in the file store (server/files) under `sha256`, of what
 * is served (an image re-encoded without its EXIF); the same bytes uploaded twice are stored once. Until
 * a step uses it (`attachedTo` empty) only its uploader may read it, and it expires after a day.
 * `takenAt` and `location` come from the photo's EXIF, read before it was stripped.
 */
export const EvidenceFile = defineEntity({
  name: 'EvidenceFile',
  tableName: 'evidence_file',
  properties: {
    id: p.string().primary(),
    sha256: p.string().index(),
    name: p.string(),
    contentType: p.string(),
    size: p.integer(),
    uploadedBy: p.string(),
    uploadedByName: p.string(),
    uploadedAt: p.datetime().index(),
    takenAt: p.datetime().nullable(),
    /** WGS 84 degrees from the EXIF GPS tags. */
    latitude: p.double().nullable(),
    longitude: p.double().nullable(),
    /** The 320 px WebP thumbnail of an image, in the same store. */
    thumbnailSha256: p.string().nullable(),
    attachedTo: p.json<FileAttachment[]>().default('[]'),
    /** Set when a step first used it; unattached files older than a day expire. */
    attachedAt: p.datetime().nullable(),
  },
});
