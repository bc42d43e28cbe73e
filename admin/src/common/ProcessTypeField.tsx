/** A process type's title from the catalogue, in the console's language. */
import { useLocaleState, useRecordContext } from 'react-admin';
import { useProcessType } from './useCatalogue';
import { pick } from '../lib/text';

export function ProcessTypeTitle({ type }: { type?: string }) {
  const [locale] = useLocaleState();
  const def = useProcessType(type);
  return <>{def ? pick(def.title, locale) : (type ?? '')}</>;
}

export function ProcessTypeField({ source = 'type' }: { source?: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  return <ProcessTypeTitle type={record?.[source] as string | undefined} />;
}

/** A stage (a step key) by its step title, falling back to the key. */
export function StageTitle({ type, stage }: { type?: string; stage?: string }) {
  const [locale] = useLocaleState();
  const def = useProcessType(type);
  const step = def?.steps.find((s) => s.key === stage);
  // A stage that is no step (a designed process's end event, a closed case's last position) is no words for people.
  return <>{step ? pick(step.title, locale) : '—'}</>;
}
