/**
 * docs/api.md from the OpenAPI document the app serves (`app.swagger()`, `/documentation/json`): the
 * conventions every operation shares, then each operation grouped by tag with who may call it
 * (contracts/authz.ts), its parameters, request body fields and responses. Written to cope with what
 * the document does not say yet (no summary, no response schema): it says so instead of failing.
 * `operationsInDocument` and `operationsInMarkdown` let tests/api/api-doc.test.ts check that the page
 * still lists exactly the operations the app serves.
 */
import { ENDPOINTS, PERMISSIONS, type PermissionRule, type Reach } from '../../contracts/authz';
import { ROLES, ROLE_TITLES } from '../../contracts/roles';

/** The parts of a JSON Schema the page shows. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  title?: string;
  'x-title-en'?: string;
  description?: string;
  default?: unknown;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
  content?: Record<string, Content>;
}

interface Content {
  schema?: Schema;
}

export interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, Content> };
  responses?: Record<string, { description?: string; content?: Record<string, Content> }>;
  security?: unknown[];
}

export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const API_PREFIX = '/api';

/**
 * A path as the page shows it: under `/api`, whatever prefix the app was registered with (a host may
 * mount the plugin elsewhere; the contract's paths are the `/api` ones).
 */
export const shownPath = (path: string) => (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`) ? path : `${API_PREFIX}${path === '/' ? '' : path}`);

interface ListedOperation {
  method: string;
  path: string;
  operation: Operation;
}

/** Every operation of the document, in its order; wildcard routes (the console's files) are not API. */
function listOperations(doc: OpenApiDocument): ListedOperation[] {
  return Object.entries(doc.paths ?? {})
    .filter(([path]) => !path.includes('*'))
    .flatMap(([path, ops]) =>
      METHODS.filter((m) => ops[m]).map((m) => ({ method: m.toUpperCase(), path: shownPath(path), operation: ops[m] })),
    );
}

/** `METHOD /api/path/{param}` of every operation the document describes. */
export const operationsInDocument = (doc: OpenApiDocument): string[] => listOperations(doc).map((o) => `${o.method} ${o.path}`);

const HEADING = /^### (GET|POST|PUT|PATCH|DELETE) (\S+)$/gm;

/** `METHOD /api/path/{param}` of every operation docs/api.md documents (its `### METHOD path` headings). */
export const operationsInMarkdown = (markdown: string): string[] => [...markdown.matchAll(HEADING)].map((m) => `${m[1]} ${m[2]}`);

// ---------------------------------------------------------------- who may call

const REACH: Record<Reach, string> = {
  district: 'the district',
  town: 'own town',
  village: 'own village',
  department: "cases of own department",
  step: "steps whose role and scope are theirs",
  self: 'own session',
};

function integrationText(rule: PermissionRule): string {
  switch (rule.integration) {
    case undefined:
      return 'no API key';
    case 'any':
      return 'any API key';
    case 'start':
      return 'API keys with the scope `start:<type>` of the type';
    case 'signal':
      return 'API keys with the scope `signal:<type>.<signal>` of the signal';
    default:
      return `API keys with the scope \`${rule.integration}\``;
  }
}

/**
 * Who may call `METHOD path`, from ENDPOINTS and PERMISSIONS. ENDPOINTS keys use Fastify's `:param`
 * form, with or without the `/api` prefix.
 */
function whoMayCall(method: string, path: string): string {
  const pattern = path.replace(/\{([^}]+)\}/g, ':$1');
  const permission = ENDPOINTS[`${method} ${pattern}`] ?? ENDPOINTS[`${method} ${pattern.slice(API_PREFIX.length) || '/'}`];
  if (!permission) return 'not listed in `ENDPOINTS` (contracts/authz.ts)';
  if (permission === 'public') return 'anyone, without a token';
  const rule: PermissionRule = PERMISSIONS[permission];
  const holders = ROLES.filter((r) => rule.roles[r]);
  const reaches = new Set(holders.map((r) => rule.roles[r]));
  const roles = !holders.length
    ? 'no user'
    : holders.length === ROLES.length && reaches.size === 1
      ? `every role (${REACH[holders.map((r) => rule.roles[r] as Reach)[0]]})`
      : holders.map((r) => `${ROLE_TITLES[r].en.toLowerCase()} (${REACH[rule.roles[r] as Reach]})`).join(', ');
  return `\`${permission}\` (${rule.title.en}): ${roles}; ${integrationText(rule)}`;
}

// ---------------------------------------------------------------- schemas

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function resolve(schema: Schema, doc: OpenApiDocument): Schema {
  const name = schema.$ref?.split('/').pop();
  return name && doc.components?.schemas?.[name] ? doc.components.schemas[name] : schema;
}

/** A schema's type in a few words: `string (date)`, `integer[]`, `"a" \| "b"`, `object`. */
function typeOf(raw: Schema, doc: OpenApiDocument): string {
  const schema = resolve(raw, doc);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map((v) => typeOf(v, doc)).join(' | ');
  if (schema.allOf) return schema.allOf.map((v) => typeOf(v, doc)).join(' & ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? (schema.properties ? 'object' : 'any')];
  const shown = types.map((t) => (t === 'array' ? `${schema.items ? typeOf(schema.items, doc) : 'any'}[]` : schema.format ? `${t} (${schema.format})` : t));
  return [...shown, ...(schema.nullable ? ['null'] : [])].join(' | ');
}

function notes(schema: Schema): string {
  const title = [schema.title, schema['x-title-en']].filter(Boolean).join(' / ');
  const parts = [title, schema.description, schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : ''];
  return parts.filter(Boolean).join('; ');
}

interface Field {
  name: string;
  type: string;
  required: boolean;
  notes: string;
}

const MAX_DEPTH = 3;

/** An object's fields, nested objects and arrays of objects flattened (`patient.name`, `items[].id`). */
function fields(raw: Schema, doc: OpenApiDocument, prefix = '', depth = 1): Field[] {
  const schema = resolve(raw, doc);
  return Object.entries(schema.properties ?? {}).flatMap(([key, rawChild]) => {
    const child = resolve(rawChild, doc);
    const name = `${prefix}${key}`;
    const row: Field = { name, type: typeOf(child, doc), required: (schema.required ?? []).includes(key), notes: notes(child) };
    if (depth >= MAX_DEPTH) return [row];
    const item = child.items && resolve(child.items, doc);
    if (child.properties) return [row, ...fields(child, doc, `${name}.`, depth + 1)];
    if (item?.properties) return [row, ...fields(item, doc, `${name}[].`, depth + 1)];
    return [row];
  });
}

function fieldTable(rows: Field[]): string[] {
  return [
    '| field | type | required | notes |',
    '|---|---|---|---|',
    ...rows.map((f) => `| \`${f.name}\` | ${cell(f.type)} | ${f.required ? 'yes' : ''} | ${cell(f.notes)} |`),
  ];
}

/** A body or answer: its fields as a table, or what little the document says about it. */
function describeContent(content: Record<string, Content> | undefined, doc: OpenApiDocument): string[] {
  const entries = Object.entries(content ?? {});
  if (!entries.length) return [];
  return entries.flatMap(([mediaType, { schema: raw }]) => {
    const head = `\`${mediaType}\``;
    if (!raw) return [`${head}, no schema in the OpenAPI document.`];
    const schema = resolve(raw, doc);
    const item = schema.items && resolve(schema.items, doc);
    if (schema.properties && Object.keys(schema.properties).length) return [`${head}, an object:`, '', ...fieldTable(fields(schema, doc))];
    if (item?.properties) return [`${head}, a JSON array of:`, '', ...fieldTable(fields(item, doc))];
    return [`${head}: ${typeOf(schema, doc)}${notes(schema) ? ` (${notes(schema)})` : ''}.`];
  });
}

// ---------------------------------------------------------------- the page

function parameterTable(parameters: Parameter[], doc: OpenApiDocument): string[] {
  if (!parameters.length) return [];
  return [
    '**Parameters**',
    '',
    '| name | in | type | required | notes |',
    '|---|---|---|---|---|',
    ...parameters.map((p) => `| \`${p.name}\` | ${p.in} | ${cell(p.schema ? typeOf(p.schema, doc) : p.content?.['application/json']?.schema ? `JSON ${typeOf(p.content['application/json'].schema, doc)}` : 'any')} | ${p.required ? 'yes' : ''} | ${cell([p.description, p.schema && notes(p.schema)].filter(Boolean).join('; '))} |`),
    '',
  ];
}

/** An answer in the shared error shape (server/openapi.ts adds them to every operation). */
const isError = (r: { content?: Record<string, Content> }) => (r.content?.['application/json']?.schema as { $ref?: string } | undefined)?.$ref === '#/components/schemas/Error';

function responses(op: Operation, doc: OpenApiDocument): string[] {
  const all = Object.entries(op.responses ?? {});
  const entries = all.filter(([, r]) => !isError(r));
  const errors = all.filter(([, r]) => isError(r)).map(([status]) => `\`${status}\``);
  if (!entries.length) return ['**Responses**: not described in the OpenAPI document.', ''];
  // Statuses with the same answer (e.g. 200/201/202 of a delivery) are shown once.
  const alike = new Map<string, string[]>();
  for (const [status, r] of entries) {
    const said = r.description && r.description !== 'Default Response' ? ` ${r.description}.` : '';
    const body = describeContent(r.content, doc);
    const text = body.length ? [`${said} ${body[0]}`, ...body.slice(1).map((line) => (line ? `  ${line}` : ''))] : [`${said} ${status === '204' ? 'No body.' : 'No answer schema in the OpenAPI document yet.'}`];
    const key = text.join('\n');
    alike.set(key, [...(alike.get(key) ?? []), status]);
  }
  return [
    '**Responses**',
    '',
    ...[...alike].flatMap(([text, statuses]) => {
      const [first, ...rest] = text.split('\n');
      return [`- ${statuses.map((s) => `\`${s}\``).join(', ')}${first}`, ...rest, ''];
    }),
    ...(errors.length ? [`- Errors, in the error shape (see Errors above): ${errors.join(', ')}`, ''] : []),
  ];
}

function operationSection({ method, path, operation: op }: ListedOperation, doc: OpenApiDocument): string[] {
  const body = describeContent(op.requestBody?.content, doc);
  return [
    `### ${method} ${path}`,
    '',
    op.summary ?? '(no summary in the OpenAPI document)',
    ...(op.description ? ['', op.description] : []),
    '',
    `**Who**: ${whoMayCall(method, path)}.`,
    '',
    ...parameterTable(op.parameters ?? [], doc),
    ...(body.length ? ['**Request body**: ' + body[0], ...body.slice(1), ''] : []),
    ...responses(op, doc),
  ];
}

/** docs/api.md: the conventions (`intro`), then every operation of the document by tag. */
export function apiMarkdown(doc: OpenApiDocument, intro: string): string {
  const byTag = new Map<string, ListedOperation[]>();
  for (const o of listOperations(doc)) {
    const tag = o.operation.tags?.[0] ?? 'other';
    byTag.set(tag, [...(byTag.get(tag) ?? []), o]);
  }
  const lines = [intro.trim(), '', '## Operations', '', [...byTag.keys()].map((tag) => `[${tag}](#${tag.toLowerCase().replace(/[^a-z0-9-]/g, '')})`).join(' · '), ''];
  for (const [tag, ops] of byTag) {
    lines.push(`## ${tag}`, '');
    for (const o of ops) lines.push(...operationSection(o, doc));
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
