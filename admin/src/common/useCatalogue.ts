/** The process catalogue in the console's language (`GET /api/process-types?lang=`), cached. */
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useLocaleState } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { ProcessTypeInfo } from '../api/types';
import { langOf } from '../lib/text';

export function useCatalogue() {
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const lang = langOf(locale);
  return useQuery<ProcessTypeInfo[]>({
    queryKey: ['processTypes', lang],
    queryFn: () => dataProvider.getProcessTypes(lang),
    staleTime: 5 * 60_000,
  });
}

/** Lookups into the catalogue (undefined while it loads). */
export function useProcessType(type: string | undefined): ProcessTypeInfo | undefined {
  const { data } = useCatalogue();
  return type ? data?.find((p) => p.type === type) : undefined;
}
