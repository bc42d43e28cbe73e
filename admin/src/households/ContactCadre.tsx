/**
 * 包户干部 on the household page: who it is and since when, every change (who changed it and when),
 * and for town officers and the district a picker of the active cadres to name or change it
 * (GET/PUT /api/households/{id}/contact-cadre).
 */
import { useState } from 'react';
import { Alert, Autocomplete, Box, Button, TextField, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useGetList, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { may } from '../../../contracts/authz';
import { ROLE_TITLES, type Role } from '../../../contracts/roles';
import type { AppDataProvider } from '../api/dataProvider';
import type { ContactCadreAnswer, HouseholdRecord, UserRecord } from '../api/types';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { formatDate, formatDateTime } from '../lib/dates';
import { pick } from '../lib/text';

const CADRE_ROLES: Role[] = ['village_cadre', 'town_officer', 'district_supervisor', 'department_officer'];

function CadrePicker({ household, onDone }: { household: HouseholdRecord; onDone(): void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const queryClient = useQueryClient();
  const [user, setUser] = useState<UserRecord | null>(null);
  const [reason, setReason] = useState('');
  const users = useGetList<UserRecord>('users', { filter: { active: true }, pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' } });
  const cadres = (users.data ?? []).filter((u) => (u.roles as Role[]).some((r) => CADRE_ROLES.includes(r)));
  const save = useApiMutation<ContactCadreAnswer, void>({
    mutationFn: () => dataProvider.putHouseholdPart(String(household.id), 'contact-cadre', { userId: String(user!.id), ...(reason.trim() ? { reason: reason.trim() } : {}) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['contactCadre', household.id] });
      onDone();
    },
  });
  const place = (u: UserRecord) => [u.town, u.village, u.department].filter(Boolean).join('');
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, mt: 1 }} data-testid="contact-cadre-picker">
      <Autocomplete
        options={cadres}
        value={user}
        onChange={(_e, v) => setUser(v)}
        getOptionLabel={(u) => `${u.name}（${(u.roles as Role[]).map((r) => pick(ROLE_TITLES[r], locale)).join('、')}${place(u) ? ` · ${place(u)}` : ''}）`}
        isOptionEqualToValue={(a, b) => a.id === b.id}
        renderInput={(params) => <TextField {...params} size="small" label={translate('fangfan.contact_cadre.pick')} />}
      />
      <TextField size="small" label={translate('fangfan.contact_cadre.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      {save.error && <Alert severity="error">{save.error.message}</Alert>}
      <Box sx={{ display: 'flex', gap: 1 }}>
        <Button variant="contained" size="small" disabled={!user || save.isPending} onClick={() => save.mutate()}>
          {translate('ra.action.save')}
        </Button>
        <Button size="small" onClick={onDone}>
          {translate('ra.action.cancel')}
        </Button>
      </Box>
    </Box>
  );
}

export function ContactCadre() {
  const household = useRecordContext<HouseholdRecord>();
  const translate = useTranslate();
  const actor = useActor();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [picking, setPicking] = useState(false);
  const id = household ? String(household.id) : '';
  const answer = useQuery({ queryKey: ['contactCadre', id], queryFn: () => dataProvider.getHouseholdPart<ContactCadreAnswer>(id, 'contact-cadre'), enabled: !!id });
  if (!household) return null;
  const current = answer.data?.current ?? null;
  const assigns = !!actor && may(actor, 'households.contactCadre') && (!actor.town || actor.roles.includes('district_supervisor') || actor.town === household.town);
  return (
    <Box data-testid="contact-cadre">
      <Typography variant="h6" component="h2">
        {translate('fangfan.contact_cadre.title')}
      </Typography>
      {answer.error && <Alert severity="error">{answer.error.message}</Alert>}
      <Typography sx={{ my: 1 }}>
        {current ? translate('fangfan.contact_cadre.current', { name: current.name, since: formatDate(current.since) }) : translate('fangfan.contact_cadre.none')}
      </Typography>
      {assigns && !picking && (
        <Button size="small" variant="outlined" onClick={() => setPicking(true)}>
          {translate(current ? 'fangfan.contact_cadre.change' : 'fangfan.contact_cadre.assign')}
        </Button>
      )}
      {picking && <CadrePicker household={household} onDone={() => setPicking(false)} />}
      {!!answer.data?.history.length && (
        <Box sx={{ mt: 1 }}>
          {answer.data.history.map((c, i) => (
            <Typography key={i} variant="body2" color="text.secondary">
              {translate('fangfan.contact_cadre.change_line', { at: formatDateTime(c.at), by: c.by.name, from: c.from?.name ?? translate('fangfan.no_value'), to: c.to.name })}
              {c.reason ? `：${c.reason}` : ''}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}
