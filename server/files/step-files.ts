/**
 * Files a step form names (fields of `format: "file-id"`, or arrays of them), at the step's completion:
 * each must exist and be the caller's to use (they uploaded it, or it is already on this case), the
 * step's required evidence (contracts/evidence.ts, counts from the policy's `evidence` section) must be there,
 * their sizes together within the policy's limit, and the files are then attached to the
 * case so that whoever may see it may read them. The workflow receives each file's SHA-256 with the
 * submission (CompleteStepArgs.files), so its history says which bytes the step used.
 */
import type { InferEntity } from '@mikro-orm/core';
import { EvidenceFile, Step, Village } from '../../db';
import type { FileAttachment } from '../../db/entities/evidence-file.entity';
import { FILE_ID_FORMAT } from '../../contracts/schemas/common';
import { requiredEvidence } from '../../contracts/evidence';
import type { Actor } from '../../contracts/roles';
import type { EvidenceFlag, EvidenceRef } from '../../contracts/steps';
import type { EvidencePolicy } from '../../policy/evidence';
import type { Services } from '../services';
import { ruleViolation, type ErrorDetail } from '../commands/refusal';

type Schema = { type?: unknown; format?: unknown; items?: Schema; properties?: Record<string, Schema> };

/** The top-level fields of a form schema that hold file ids. */
export function fileFields(schema: object): string[] {
  const props = (schema as Schema).properties ?? {};
  return Object.entries(props)
    .filter(([, s]) => s.format === FILE_ID_FORMAT || (s.type === 'array' && s.items?.format === FILE_ID_FORMAT))
    .map(([field]) => field);
}

/** Each file id the form names, with the path of its field (`photos.0`). */
function namedFiles(schema: object, form: Record<string, unknown>): { field: string; path: string; id: string }[] {
  return fileFields(schema).flatMap((field) => {
    const value = form[field];
    if (typeof value === 'string') return [{ field, path: field, id: value }];
    return Array.isArray(value) ? value.map((id, i) => ({ field, path: `${field}.${i}`, id: String(id) })) : [];
  });
}

export interface StepUse {
  processId: string;
  type: string;
  stepKey: string;
  /** The open instance, for a step open more than once. */
  stepId?: string;
  /** The case's place (its village's position flags photos taken far from it). */
  town?: string;
  village?: string;
}

/**
 * The files of a submission as the workflow records them; 422 naming the field for a file the caller may
 * not use (unknown, someone else's, expired) and for required evidence that is missing. `at`: where the
 * form sits in the request (`input.` for a start), before the fields the refusals name.
 */
export async function stepEvidence(services: Services, actor: Actor, use: StepUse, schema: object, form: Record<string, unknown>, at = ''): Promise<EvidenceRef[]> {
  const named = namedFiles(schema, form);
  const rows = named.length ? await services.db.em().find(EvidenceFile, { id: { $in: [...new Set(named.map((n) => n.id))] } }) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const problems: ErrorDetail[] = [];
  for (const n of named) {
    const row = byId.get(n.id);
    if (!row || !mayUse(actor, use.processId, row)) problems.push({ field: at + n.path, rule: 'file', message: `文件 ${n.id} 不存在或已过期，请重新上传 (no such file of yours or of this case)` });
  }
  const policy = services.policy().evidence;
  const stepLimit = policy.stepMegabytes * 1024 * 1024;
  let total = 0;
  const counted = new Set<string>();
  for (const n of named) {
    const row = byId.get(n.id);
    if (!row || counted.has(row.id)) continue;
    counted.add(row.id);
    total += row.size;
    if (total > stepLimit && !problems.some((p) => p.rule === 'maxStepSize')) {
      const message = `本环节的文件合计不能超过 ${policy.stepMegabytes} MB (a step's files come to at most ${policy.stepMegabytes} MB together)`;
      problems.push({ field: at + n.path, rule: 'maxStepSize', message });
    }
  }
  for (const need of requiredEvidence(policy.required, use.type, use.stepKey)) {
    const given = named.filter((n) => n.field === need.field).map((n) => byId.get(n.id));
    if (given.length < need.min) {
      problems.push({ field: at + need.field, rule: 'requiredEvidence', message: `须上传${need.what.zh}${need.min > 1 ? `至少 ${need.min} 份` : ''} (${need.what.en} is required)` });
    } else if (need.photos && given.some((f) => f && !f.contentType.startsWith('image/'))) {
      problems.push({ field: at + need.field, rule: 'photo', message: `${need.what.zh}须为照片 (${need.what.en} must be photos)` });
    }
  }
  if (problems.length) throw ruleViolation(problems.map((p) => p.message).join('；'), problems);
  const flagsOf = await photoFlags(services, use, policy);
  return named.map((n) => {
    const row = byId.get(n.id)!;
    const flags = flagsOf(row);
    return { field: n.field, id: n.id, sha256: row.sha256, ...(row.takenAt ? { takenAt: row.takenAt.toISOString() } : {}), ...(flags.length ? { flags } : {}) };
  });
}

const DAY_MS = 86_400_000;

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.latitude - a.latitude) * rad) / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(((b.longitude - a.longitude) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/**
 * What a reviewer is told about a photo (never a refusal): taken more than the policy's days before the
 * step opened, or farther than its km from the case's village (when the village has a position).
 */
async function photoFlags(services: Services, use: StepUse, policy: EvidencePolicy): Promise<(row: InferEntity<typeof EvidenceFile>) => EvidenceFlag[]> {
  const em = services.db.em();
  const step = await em.findOne(Step, { processId: use.processId, stepKey: use.stepKey, status: 'open', ...(use.stepId ? { stepId: use.stepId } : {}) }, { fields: ['openedAt'], orderBy: { openedAt: 'desc' } });
  const village = use.town && use.village ? await em.findOne(Village, { town: use.town, name: use.village }) : null;
  const at = village?.latitude != null && village.longitude != null ? { latitude: Number(village.latitude), longitude: Number(village.longitude) } : undefined;
  const opened = step?.openedAt ?? new Date();
  return (row) => {
    const flags: EvidenceFlag[] = [];
    if (row.takenAt) {
      const days = Math.floor((opened.getTime() - row.takenAt.getTime()) / DAY_MS);
      if (days > policy.photoMaxAgeDays) flags.push({ rule: 'takenBeforeStep', takenAt: row.takenAt.toISOString(), days });
    }
    if (at && row.latitude != null && row.longitude != null) {
      const km = distanceKm(at, { latitude: Number(row.latitude), longitude: Number(row.longitude) });
      if (km > policy.photoMaxDistanceKm) flags.push({ rule: 'farFromVillage', km: Math.round(km * 10) / 10 });
    }
    return flags;
  };
}

function mayUse(actor: Actor, processId: string, row: InferEntity<typeof EvidenceFile>): boolean {
  return (actor.kind === 'user' && row.uploadedBy === actor.id) || row.attachedTo.some((a) => a.processId === processId);
}

/** After the case took the submission: the files are the case's (readable by who may see it) and no longer expire. */
export async function attachEvidence(services: Services, use: StepUse & { stepId?: string }, files: EvidenceRef[]): Promise<void> {
  if (!files.length) return;
  const em = services.db.em();
  const rows = await em.find(EvidenceFile, { id: { $in: [...new Set(files.map((f) => f.id))] } });
  const now = new Date();
  for (const row of rows) {
    const add: FileAttachment[] = files
      .filter((f) => f.id === row.id && !row.attachedTo.some((a) => a.processId === use.processId && a.stepKey === use.stepKey && a.field === f.field))
      .map((f) => ({ processId: use.processId, stepKey: use.stepKey, ...(use.stepId ? { stepId: use.stepId } : {}), field: f.field }));
    if (!add.length) continue;
    row.attachedTo = [...row.attachedTo, ...add];
    row.attachedAt ??= now;
  }
  await em.flush();
}
