/** The district's towns and villages as the API knows them (`GET /api/villages`, every page at once). */
import { useGetList } from 'react-admin';
import type { VillageRecord } from '../api/types';

export function useVillages() {
  return useGetList<VillageRecord>('villages', { pagination: { page: 1, perPage: 1000 }, sort: { field: 'id', order: 'ASC' } });
}

/** Towns in the order their first village was registered. */
export const townsOf = (villages: VillageRecord[] = []) => [...new Set(villages.map((v) => v.town))];
