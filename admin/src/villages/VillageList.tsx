/**
 * 村庄: the district's villages grouped by town (key villages marked), searchable and filterable by
 * town; the same layout at phone width. Registering one is offered to the roles contracts/authz.ts
 * gives `directory.manage`.
 */
import { Box, Card, CardContent, Chip, Typography } from '@mui/material';
import { CreateButton, List, Pagination, SearchInput, SelectInput, TopToolbar, useListContext, useTranslate } from 'react-admin';
import { may } from '../../../contracts/authz';
import type { VillageRecord } from '../api/types';
import { useActor } from '../common/useActor';
import { townsOf, useVillages } from './useTowns';

function useMayRegister() {
  const actor = useActor();
  return !!actor && may(actor, 'directory.manage');
}

function useFilters() {
  const { data: villages } = useVillages();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="town" source="town" alwaysOn choices={townsOf(villages).map((t) => ({ id: t, name: t }))} />,
  ];
}

/** The page's villages, town by town in the order the API listed them. */
function ByTown() {
  const { data = [] } = useListContext<VillageRecord>();
  const translate = useTranslate();
  const towns = townsOf(data);
  if (!data.length) {
    return (
      <Typography sx={{ p: 2 }} color="text.secondary">
        {translate('ra.navigation.no_results', { name: translate('resources.villages.name', { smart_count: 2 }) })}
      </Typography>
    );
  }
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, p: { xs: 1, sm: 2 } }}>
      {towns.map((town) => {
        const villages = data.filter((v) => v.town === town);
        return (
          <Box key={town} component="section" aria-label={town} data-testid="town-villages">
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
              {town}
              <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1 }}>
                {translate('fangfan.villages.count', { smart_count: villages.length })}
              </Typography>
            </Typography>
            <Box component="ul" sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, listStyle: 'none', p: 0, m: 0, mt: 0.5 }}>
              {villages.map((v) => (
                <li key={v.id}>
                  <Chip
                    size="small"
                    variant={v.key ? 'filled' : 'outlined'}
                    color={v.key ? 'primary' : 'default'}
                    label={v.key ? `${v.name}（${translate('resources.villages.fields.key')}）` : v.name}
                  />
                </li>
              ))}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

function Empty() {
  const translate = useTranslate();
  const mayRegister = useMayRegister();
  return (
    <Card sx={{ mt: 2 }}>
      <CardContent>
        <Typography>{translate('fangfan.villages.empty')}</Typography>
        {mayRegister && (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {translate('fangfan.villages.empty_hint')}
          </Typography>
        )}
        {mayRegister && <CreateButton variant="contained" />}
      </CardContent>
    </Card>
  );
}

export function VillageList() {
  const mayRegister = useMayRegister();
  const filters = useFilters();
  return (
    <List<VillageRecord>
      filters={filters}
      sort={{ field: 'town', order: 'ASC' }}
      perPage={200}
      pagination={<Pagination rowsPerPageOptions={[50, 100, 200]} />}
      empty={<Empty />}
      actions={<TopToolbar>{mayRegister && <CreateButton />}</TopToolbar>}
    >
      <ByTown />
    </List>
  );
}
