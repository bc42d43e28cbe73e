/**
 * Filters every step list offers: a search by the household head's name or household id, the due
 * state (即将到期 / 已逾期, as the API computes it on the working-day calendar), the process type and
 * the village within the user's area (none for a village cadre, who has one).
 */
import type { ReactElement } from 'react';
import { SearchInput, SelectInput, useLocaleState, useTranslate } from 'react-admin';
import { useActor } from '../common/useActor';
import { useCatalogue } from '../common/useCatalogue';
import { pick } from '../lib/text';
import { useVillages } from '../villages/useTowns';

const DUE_STATES = ['soon', 'overdue'] as const;

/** The villages a user's steps can be in: their town's, or the district's (by name; steps filter by village name). */
function useVillageChoices(): { id: string; name: string }[] | undefined {
  const actor = useActor();
  const { data: villages = [] } = useVillages();
  if (!actor || actor.village) return undefined;
  const inScope = actor.town ? villages.filter((v) => v.town === actor.town) : villages;
  const seen = new Set<string>();
  return inScope.flatMap((v) => (seen.has(v.name) ? [] : (seen.add(v.name), [{ id: v.name, name: actor.town ? v.name : `${v.town}${v.name}` }])));
}

/** `alwaysShown`: also show process type and village without the filter button (wide screens). */
export function useStepFilters({ alwaysShown }: { alwaysShown: boolean }): ReactElement[] {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { data: catalogue = [] } = useCatalogue();
  const villages = useVillageChoices();
  const filters = [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('fangfan.inbox.search')} sx={{ minWidth: { xs: '100%', sm: 240 } }} />,
    <SelectInput
      key="due"
      source="due"
      alwaysOn
      label="resources.steps.fields.due"
      choices={DUE_STATES.map((s) => ({ id: s, name: translate(`fangfan.due_state.${s}`) }))}
      sx={{ minWidth: 140 }}
    />,
    <SelectInput
      key="processType"
      source="processType"
      alwaysOn={alwaysShown}
      label="resources.steps.fields.processType"
      choices={catalogue.map((p) => ({ id: p.type, name: pick(p.title, locale) }))}
      sx={{ minWidth: 160 }}
    />,
  ];
  if (villages) {
    filters.push(<SelectInput key="village" source="village" alwaysOn={alwaysShown} label="resources.steps.fields.village" choices={villages} sx={{ minWidth: 140 }} />);
  }
  return filters;
}
