/** A designed process definition as the API returns it (API.md "Designed processes"). */
import type { RJSFSchema } from '@rjsf/utils';
import type { Text } from '../../../contracts/i18n';

export interface ProcessDefinitionRecord {
  id: string;
  key: string;
  version: number;
  /** `draft`, then `published` (older published versions may read `retired`). */
  status: string;
  title: Text | string;
  /** In the detail only. */
  bpmn?: string;
  forms?: Record<string, RJSFSchema>;
  startRoles?: string[];
  startForm?: string;
  createdAt?: string;
  publishedAt?: string;
}

/** The body of POST /api/process-definitions. */
export interface ProcessDefinitionDraft {
  key: string;
  title: Text;
  bpmn: string;
  forms: Record<string, RJSFSchema>;
  startRoles: string[];
  startForm?: string;
}
