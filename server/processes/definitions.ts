/**
 * Designed process definitions (API.md "Designed processes"): drafting one (its BPMN parsed and checked
 * against what the interpreter runs, its forms checked like the catalogue's), and publishing it (the
 * key's next version becomes the active one; running cases keep theirs). Every change is audited.
 */
import { randomUUID } from 'node:crypto';
import type { InferEntity } from '@mikro-orm/core';
import { ProcessDefinition } from '../../db';
import { DESIGNED_KEY_PATTERN } from '../../contracts/bpmn/designed';
import { ROLES, type Actor } from '../../contracts/roles';
import { CATALOGUE, processType } from '../../processes';
import { parseDesigned } from '../../processes/designed/parse';
import { designedVersion, registerDesigned } from '../../processes/designed/registry';
import { DESIGNED } from '../../processes/designed/contract';
import type { ProcessTypeDefinition } from '../../processes/module';
import { liveState, type VisibleCase } from '../commands/visible-case';
import type { Services } from '../services';
import { audit } from '../audit';
import { Refusal, conflict, invalidField, notFound, type ErrorDetail } from '../commands/refusal';
import { createAjv } from './validate';

type Row = InferEntity<typeof ProcessDefinition>;

export interface DefinitionDraft {
  key: string;
  title: { zh: string; en: string };
  bpmn: string;
  forms?: Record<string, unknown>;
  startRoles: string[];
  startForm?: string;
}

const ajv = createAjv();

/** A form is a JSON Schema of an object the API can validate with: compiled like the catalogue's forms. */
function formProblems(forms: Record<string, unknown>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [key, schema] of Object.entries(forms)) {
    const field = `forms.${key}`;
    if (!/^[a-zA-Z][a-zA-Z0-9_]{0,40}$/.test(key)) problems.push({ field, rule: 'pattern', message: '表单名须以字母开头，只含字母、数字、下划线' });
    else if (!schema || typeof schema !== 'object' || Array.isArray(schema) || (schema as { type?: unknown }).type !== 'object') {
      problems.push({ field, rule: 'schema', message: '表单须是 type 为 object 的 JSON Schema' });
    } else {
      try {
        ajv.compile(schema as object);
      } catch (err) {
        problems.push({ field, rule: 'schema', message: `表单不是有效的 JSON Schema：${(err as Error).message}` });
      }
    }
  }
  return problems;
}

export async function draftDefinition(services: Services, actor: Actor, body: DefinitionDraft, ip?: string): Promise<Row> {
  if (!DESIGNED_KEY_PATTERN.test(body.key)) throw invalidField('key', 'pattern', '流程标识须以小写字母开头，只含字母和数字，3–41 个字符');
  if (CATALOGUE.some((p) => p.type === body.key)) throw conflict(`key: 「${body.key}」是内置流程的标识，不能使用`);
  for (const [i, role] of body.startRoles.entries()) {
    if (!(ROLES as readonly string[]).includes(role)) throw invalidField(`startRoles.${i}`, 'enum', `未知角色「${role}」`);
  }
  const forms = body.forms ?? {};
  const problems = formProblems(forms);
  if (body.startForm !== undefined && !(body.startForm in forms)) problems.push({ field: 'startForm', rule: 'exists', message: `开始表单「${body.startForm}」不在 forms 中` });
  const parsed = await parseDesigned(body.bpmn, Object.keys(forms));
  problems.push(...parsed.problems.map((p) => ({ field: p.field, rule: p.rule ?? 'supported', message: p.message })));
  if (problems.length || !parsed.model) {
    throw new Refusal('rule_violation', `流程定义无法运行：${problems.map((p) => `${p.field}：${p.message}`).join('；')}`, problems);
  }
  const em = services.db.em();
  const last = await em.findOne(ProcessDefinition, { key: body.key }, { orderBy: { version: 'DESC' } });
  const row = em.create(ProcessDefinition, {
    id: randomUUID(),
    key: body.key,
    version: (last?.version ?? 0) + 1,
    status: 'draft',
    titleZh: body.title.zh,
    titleEn: body.title.en,
    bpmn: body.bpmn,
    forms: forms as Record<string, object>,
    startRoles: body.startRoles,
    startForm: body.startForm ?? null,
    model: parsed.model as unknown as Record<string, unknown>,
    createdBy: actor.id,
    createdByName: actor.name,
    createdAt: new Date(),
    publishedBy: null,
    publishedAt: null,
  });
  await em.flush();
  await audit(services.db, { actor, action: 'definition_draft', target: row.id, ip, outcome: 'ok', detail: { key: row.key, version: row.version } });
  return row;
}

export async function findDefinition(services: Services, id: string): Promise<Row> {
  const row = await services.db.em().findOne(ProcessDefinition, { id });
  if (!row) throw notFound(`流程定义 ${id} 不存在 (no such definition)`);
  return row;
}

/** The draft becomes its key's active version; the one before is retired (its running cases go on). */
export async function publishDefinition(services: Services, actor: Actor, id: string, ip?: string): Promise<Row> {
  const row = await findDefinition(services, id);
  if (row.status !== 'draft') throw conflict(`该版本已发布过（${row.status === 'active' ? '当前版本' : '已停用'}），请另存为新草稿`);
  const em = services.db.em();
  const active = await em.findOne(ProcessDefinition, { key: row.key, status: 'active' });
  if (active && active.version > row.version) throw conflict(`已发布更新的第 ${active.version} 版，不能再发布第 ${row.version} 版`);
  if (active) active.status = 'retired';
  row.status = 'active';
  row.publishedBy = actor.id;
  row.publishedAt = new Date();
  await em.flush();
  registerDesigned(row);
  await audit(services.db, { actor, action: 'definition_publish', target: row.id, ip, outcome: 'ok', detail: { key: row.key, version: row.version } });
  return row;
}

export function definitionSummary(row: Row) {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    status: row.status as 'draft' | 'active' | 'retired',
    title: { zh: row.titleZh, en: row.titleEn },
    startRoles: row.startRoles,
    startForm: row.startForm ?? null,
    createdBy: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
  };
}

/** A case's process type: for a designed case, the version it runs (its step forms), not the newest. */
export async function processTypeOfCase(services: Services, found: VisibleCase): Promise<ProcessTypeDefinition | undefined> {
  const type = processType(found.type);
  if (type?.workflowType !== DESIGNED.workflowType) return type;
  const state = await liveState(services, found);
  const version = (state.data as { definition?: { version?: number } }).definition?.version;
  return (version !== undefined && designedVersion(found.type, version)?.definition) || type;
}
