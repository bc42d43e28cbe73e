import { defineEntity, p } from '@mikro-orm/core';

/** One row per case (workflow execution), written by the case's projection activity. */
export const Process = defineEntity({
  name: 'Process',
  tableName: 'process',
  properties: {
    id: p.string().primary(),
    runId: p.string().nullable(),
    type: p.string().index(),
    status: p.string().index(),
    stage: p.string(),
    subject: p.string(),
    householdId: p.string().nullable().index(),
    title: p.string(),
    town: p.string().index(),
    village: p.string().index(),
    /** Departments that have steps in this case (who besides the area may see it). */
    departments: p.json<string[]>().default('[]'),
    startedAt: p.datetime(),
    closedAt: p.datetime().nullable(),
    dueAt: p.datetime().nullable(),
    dueDate: p.string().nullable(),
    dueProvisional: p.boolean().default(false),
    overdueSince: p.datetime().nullable(),
    outcome: p.string().nullable(),
    outcomeReasons: p.text().nullable(),
    revision: p.integer(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** One row per opened step (human task), written with its case. */
export const Step = defineEntity({
  name: 'Step',
  tableName: 'step',
  properties: {
    id: p.string().primary(), // `${processId}/${stepId}`
    processId: p.string().index(),
    stepId: p.string(),
    processType: p.string().index(),
    stepKey: p.string(),
    titleZh: p.string(),
    titleEn: p.string(),
    role: p.string().index(),
    scope: p.string(),
    department: p.string().nullable(),
    assignee: p.string().nullable(),
    /** Members of a team step, as `,id1,id2,` (P5 visits by two). */
    team: p.string().nullable(),
    town: p.string().index(),
    village: p.string(),
    householdId: p.string().nullable(),
    /** The household's monitoring category and risk types (JSON text), kept by the read model for the statistics. */
    householdCategory: p.string().nullable(),
    householdRiskTypes: p.text().nullable(),
    openedAt: p.datetime(),
    dueAt: p.datetime().index(),
    dueDate: p.string(),
    provisional: p.boolean().default(false),
    escalatedAt: p.datetime().nullable(),
    status: p.string().index(),
    completedAt: p.datetime().nullable(),
    completedBy: p.string().nullable(),
    completedByName: p.string().nullable(),
  },
  indexes: [
    { properties: ['status', 'dueAt'] },
    // The inbox and overdue lists by area, role and department (Migration20261202StepListIndexes).
    { name: 'step_town_village_status_due_at_index', properties: ['town', 'village', 'status', 'dueAt'] },
    { name: 'step_town_status_due_at_index', properties: ['town', 'status', 'dueAt'] },
    { name: 'step_department_status_due_at_index', properties: ['department', 'status', 'dueAt'] },
    { name: 'step_role_status_due_at_index', properties: ['role', 'status', 'dueAt'] },
    { name: 'step_assignee_status_due_at_index', properties: ['assignee', 'status', 'dueAt'] },
    { name: 'step_status_role_scope_assignee_due_at_index', properties: ['status', 'role', 'scope', 'assignee', 'dueAt'] },
  ],
});
