import { defineEntity, p } from '@mikro-orm/core';

/**
 * A designed process's definition (API.md "Designed processes"): the BPMN an administrator drew, its
 * forms, and the compact model the server computed from it (processes/designed/parse.ts). Each row is one
 * version of its key: a `draft`, then `active` when published (the key's newest published version,
 * what new cases start with), `retired` once a later version is published. Never edited once published:
 * running cases carry the model they started with.
 */
export const ProcessDefinition = defineEntity({
  name: 'ProcessDefinition',
  tableName: 'process_definition',
  properties: {
    id: p.string().primary(),
    key: p.string().index(),
    version: p.integer(),
    status: p.string().index(),
    titleZh: p.string(),
    titleEn: p.string(),
    bpmn: p.text(),
    forms: p.json<Record<string, object>>(),
    startRoles: p.json<string[]>(),
    startForm: p.string().nullable(),
    model: p.json<Record<string, unknown>>(),
    createdBy: p.string(),
    createdByName: p.string(),
    createdAt: p.datetime(),
    publishedBy: p.string().nullable(),
    publishedAt: p.datetime().nullable(),
  },
});
