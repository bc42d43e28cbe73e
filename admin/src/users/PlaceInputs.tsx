/**
 * A user's town and village, picked from the villages the district has registered (`GET /api/villages`):
 * the village list follows the chosen town, and changing the town clears a village of another town. Empty
 * for district and department users.
 */
import { useEffect, useMemo } from 'react';
import { SelectInput, useGetList } from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import type { VillageRecord } from '../api/types';

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

export function PlaceInputs() {
  const { data = [] } = useGetList<VillageRecord>('villages', { pagination: { page: 1, perPage: 1000 }, sort: { field: 'town', order: 'ASC' } });
  const town = useWatch({ name: 'town' }) as string | null | undefined;
  const village = useWatch({ name: 'village' }) as string | null | undefined;
  const { setValue } = useFormContext();
  const towns = useMemo(() => [...new Set(data.map((v) => v.town))].map((t) => ({ id: t, name: t })), [data]);
  const villages = useMemo(() => data.filter((v) => v.town === town).map((v) => ({ id: v.name, name: v.name })), [data, town]);
  // A village of another town does not stay chosen once the town changes (only once the list is known).
  useEffect(() => {
    if (data.length && village && !villages.some((v) => v.id === village)) setValue('village', null, { shouldDirty: true });
  }, [data.length, village, villages, setValue]);
  return (
    <>
      <SelectInput source="town" choices={towns} parse={blankToNull} emptyText="fangfan.users.no_place" helperText="fangfan.users.town_hint" isPending={!data.length && !town} />
      <SelectInput source="village" choices={villages} parse={blankToNull} emptyText="fangfan.users.no_place" helperText="fangfan.users.village_hint" disabled={!town} />
    </>
  );
}
