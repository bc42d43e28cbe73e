/**
 * The published designed types, as catalogue entries beside the coded processes (processes/index.ts
 * `processType()` falls back to them): loaded from the read model when the services start, updated on
 * publish. Every published version is kept; the catalogue shows the key's newest.
 */
import type { EntityManager, InferEntity } from '@mikro-orm/core';
import { ProcessDefinition } from '../../db';
import type { Actor, Role } from '../../contracts/roles';
import type { Policy } from '../../policy';
import type { CatalogueSignal, CatalogueStep, NoticeSpec, ProcessTypeDefinition } from '../module';
import type { Starter } from '../../server/processes/start';
import { visibleHousehold } from '../../server/commands/visible-household';
import { t } from '../../contracts/i18n';
import { objectionSignal, type ReviewPolicy } from '../../contracts/review';
import { ObjectionSchema, REVIEW_FORMS } from '../../contracts/schemas/review';
import { catalogueSignal } from '../module';
import { CALLED_REVIEW_STEPS, DESIGNED, TASK_SCOPES, type DesignedInput, type DesignedModel } from './contract';

type Row = InferEntity<typeof ProcessDefinition>;

export interface DesignedType {
  id: string;
  key: string;
  version: number;
  definition: ProcessTypeDefinition;
  starter: Starter<Record<string, unknown>>;
  /** The public notice of its review (a call activity), printed as P1's. */
  notice?: NoticeSpec;
}

/** A form without fields (a task that only needs to be confirmed). */
const EMPTY_FORM = { type: 'object', properties: {}, additionalProperties: false };

const newest = new Map<string, DesignedType>();
/** Every published version, `key#version`: a running case's forms are its own version's. */
const versions = new Map<string, DesignedType>();

export function designedVersion(key: string, version: number): DesignedType | undefined {
  return versions.get(`${key}#${version}`);
}

export function designedType(key: string): DesignedType | undefined {
  return newest.get(key);
}

export function designedCatalogue(): ProcessTypeDefinition[] {
  return [...newest.values()].map((d) => d.definition);
}

/** Take a published row into the catalogue (a newer version replaces an older one). */
export function registerDesigned(row: Row): DesignedType {
  const model = row.model as unknown as DesignedModel;
  const forms = row.forms;
  const title = t(row.titleZh, row.titleEn);
  const startRoles = [...new Set([...(row.startRoles as Role[]), 'admin' as const])];
  const steps: CatalogueStep[] = Object.values(model.elements)
    .filter((e) => e.kind === 'userTask')
    .map((e) => ({
      key: e.id,
      title: t(e.name, e.name),
      role: e.role!,
      scope: TASK_SCOPES[e.role!],
      ...(e.department ? { department: e.department as ProcessTypeDefinition['steps'][number]['department'] } : {}),
      duePolicyKey: '',
      form: (e.form && forms[e.form]) || EMPTY_FORM,
    }));
  // A call activity's review: its steps with their usual forms, and objections to its notice (as for P1).
  const reviews = calls(model);
  if (reviews) steps.push(...Object.values(CALLED_REVIEW_STEPS).map((s) => ({ ...s, form: REVIEW_FORMS[s.key as keyof typeof REVIEW_FORMS] })));
  const signals: CatalogueSignal[] = model.messages.map((name) => ({
    name,
    title: t(`消息 ${name}`, `Message ${name}`),
    definition: { name, type: 'signal' } as ProcessTypeDefinition['signals'][number]['definition'],
    schema: { type: 'object' },
    roles: ['town_officer', 'district_supervisor', 'admin'] as Role[],
  }));
  if (reviews) {
    signals.push(
      catalogueSignal({ definition: objectionSignal, title: t('公示异议', 'Objection to the notice') }, { schema: ObjectionSchema, roles: ['village_cadre', 'town_officer', 'district_supervisor', 'admin'], stages: ['publicNotice'] }),
    );
  }
  const definition: ProcessTypeDefinition = {
    type: row.key,
    workflowType: DESIGNED.workflowType,
    title,
    description: t(`自定义流程（第 ${row.version} 版）`, `Designed process (version ${row.version})`),
    startSchema: (row.startForm && forms[row.startForm]) || EMPTY_FORM,
    startRoles,
    steps,
    signals,
  };
  const notice: NoticeSpec | undefined = reviews
    ? { title: `${row.titleZh}公示`, proposal: `拟同意下列农户的「${row.titleZh}」申请`, minimum: (p) => p.identification.noticeMinimum }
    : undefined;
  const designed: DesignedType = { id: row.id, key: row.key, version: row.version, definition, starter: starterOf(row, model), ...(notice ? { notice } : {}) };
  versions.set(`${row.key}#${row.version}`, designed);
  const known = newest.get(row.key);
  if (!known || known.version <= row.version) newest.set(row.key, designed);
  return designed;
}

/** Every published definition (running cases may use retired versions), at start-up. */
export async function loadDesigned(em: EntityManager): Promise<void> {
  for (const row of await em.find(ProcessDefinition, { status: { $in: ['active', 'retired'] } }, { orderBy: { version: 'ASC' } })) registerDesigned(row);
}

/** Whether the model runs the shared review procedure (a call activity). */
const calls = (model: DesignedModel) => Object.values(model.elements).some((e) => e.kind === 'callActivity');

/**
 * How `POST /api/processes` starts a designed case: the household of the start form (if it names one), the
 * model, the policy version, and for a review the procedure's part of the policy (identification's, as P1 has it).
 */
function starterOf(row: Row, model: DesignedModel): Starter<Record<string, unknown>> {
  return {
    async prepare(em, actor: Actor, request, policy: Policy) {
      const householdId = typeof request.householdId === 'string' ? request.householdId : undefined;
      const household = householdId ? await visibleHousehold(em, actor, householdId) : undefined;
      const place = household ? { town: household.town, village: household.village } : { town: actor.town ?? '', village: actor.village ?? '' };
      const subject = household?.id ?? `${actor.id}-${Date.now().toString(36)}`;
      return {
        subject,
        place,
        ...(household ? { householdId: household.id } : {}),
        workflowArgs: (processId: string): [DesignedInput] => [
          {
            processId,
            key: row.key,
            version: row.version,
            title: t(row.titleZh, row.titleEn),
            model,
            startForm: request,
            ...(household ? { household: { id: household.id, headName: household.headName, town: household.town, village: household.village } } : {}),
            place,
            subject,
            startedBy: { id: actor.id, name: actor.name },
            policyVersion: `${policy.version}#${policy.digest}`,
            ...(calls(model) ? { review: reviewPolicyOf(policy) } : {}),
          },
        ],
      };
    },
  };
}

/** The review procedure's values of the policy in force (not identification's overall limit: the designed case has its own steps around it). */
function reviewPolicyOf(policy: Policy): ReviewPolicy {
  const { steps, noticeMinimum, backdateDays } = policy.identification;
  return { steps, noticeMinimum, ...(backdateDays === undefined ? {} : { backdateDays }) };
}
