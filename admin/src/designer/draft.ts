/** The designer's page state and the body it saves (POST /api/process-definitions), without the diagram's own state. */
import { DESIGNED_KEY_PATTERN } from '../../../contracts/bpmn/designed';
import { formOfSchema, formProblems, formSchema, type DesignedForm } from './formSchema';
import type { ProcessDefinitionDraft, ProcessDefinitionRecord } from './types';

export interface DefinitionSettingsValue {
  key: string;
  titleZh: string;
  titleEn: string;
  startRoles: string[];
  startForm: string;
}

/** A new definition is started by village cadres by default (the people who meet households). */
export function settingsOf(record?: ProcessDefinitionRecord): DefinitionSettingsValue {
  if (!record) return { key: '', titleZh: '', titleEn: '', startRoles: ['village_cadre'], startForm: '' };
  const title = typeof record.title === 'string' ? { zh: record.title, en: '' } : record.title;
  return { key: record.key, titleZh: title.zh ?? '', titleEn: title.en ?? '', startRoles: record.startRoles ?? [], startForm: record.startForm ?? '' };
}

export const formsOf = (record?: ProcessDefinitionRecord): DesignedForm[] => Object.entries(record?.forms ?? {}).map(([key, schema]) => formOfSchema(key, schema));

/** What the settings lack (message keys), shown on their fields before anything is sent. */
export function settingsProblems(v: DefinitionSettingsValue): { key?: string; titleZh?: string } {
  return {
    ...(DESIGNED_KEY_PATTERN.test(v.key) ? {} : { key: 'fangfan.designer.key_invalid' }),
    ...(v.titleZh.trim() ? {} : { titleZh: 'fangfan.designer.title_required' }),
  };
}

export const formsValid = (forms: DesignedForm[]) => forms.every((f, i) => !formProblems(f, forms.filter((_, j) => j !== i).map((x) => x.key)).length);

/** The body to save; an English name defaults to the Chinese one (the API wants both). */
export function draftOf(v: DefinitionSettingsValue, forms: DesignedForm[], bpmn: string): ProcessDefinitionDraft {
  return {
    key: v.key,
    title: { zh: v.titleZh.trim(), en: v.titleEn.trim() || v.titleZh.trim() },
    bpmn,
    forms: Object.fromEntries(forms.map((f) => [f.key, formSchema(f)])),
    startRoles: v.startRoles,
    ...(v.startForm && forms.some((f) => f.key === v.startForm) ? { startForm: v.startForm } : {}),
  };
}
