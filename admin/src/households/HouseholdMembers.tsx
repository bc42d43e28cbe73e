/**
 * 家庭成员 on the household page: one line per member (name, relation, masked ID number, 在校生,
 * 残疾等级, 劳动能力, 参保), one column so it reads the same at phone width; those who may edit the
 * register change the whole list in a dialog (GET/PUT /api/households/{id}/members).
 */
import { useState } from 'react';
import { Alert, Box, Button, Checkbox, Chip, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, IconButton, MenuItem, TextField, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/PersonAdd';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { may } from '../../../contracts/authz';
import { DISABILITY_GRADES, LABOUR_CAPACITIES, MEMBER_RELATIONS } from '../../../contracts/members';
import type { AppDataProvider } from '../api/dataProvider';
import type { HouseholdMember, HouseholdRecord } from '../api/types';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { choicesOf, labelOf } from '../lib/text';

interface MembersAnswer {
  householdId: string;
  memberCount: number;
  members: HouseholdMember[];
}

const blank = (): HouseholdMember => ({ name: '', idNumber: '', relation: 'child', student: false, disabilityGrade: null, labourCapacity: 'full', insured: true });

/** The facts of one member in words, e.g. "在校生 · 残疾三级 · 弱劳动能力 · 已参保". */
function memberFacts(m: HouseholdMember, translate: (k: string, o?: Record<string, unknown>) => string, locale: string): string {
  return [
    m.student ? translate('fangfan.members.student') : '',
    m.disabilityGrade ? translate('fangfan.members.disability_grade', { grade: m.disabilityGrade }) : '',
    labelOf(LABOUR_CAPACITIES, m.labourCapacity, locale),
    translate(m.insured ? 'fangfan.members.insured' : 'fangfan.members.not_insured'),
  ]
    .filter(Boolean)
    .join(' · ');
}

function MembersDialog({ household, members, onClose }: { household: HouseholdRecord; members: HouseholdMember[]; onClose(): void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const queryClient = useQueryClient();
  const initial = members.length ? members : [{ ...blank(), name: household.headName, idNumber: household.idNumber, relation: 'head' }];
  const [rows, setRows] = useState<HouseholdMember[]>(initial.map((m) => ({ ...m })));
  const save = useApiMutation<MembersAnswer, HouseholdMember[]>({
    mutationFn: (list) =>
      dataProvider.putHouseholdPart(String(household.id), 'members', {
        members: list.map(({ name, idNumber, relation, student, disabilityGrade, labourCapacity, insured }) => ({ name, idNumber, relation, student, disabilityGrade, labourCapacity, insured })),
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['householdMembers', household.id] });
      void queryClient.invalidateQueries({ queryKey: ['households'] });
      onClose();
    },
  });
  const set = (i: number, change: Partial<HouseholdMember>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" scroll="paper">
      <DialogTitle>{translate('fangfan.members.edit_title')}</DialogTitle>
      <DialogContent dividers sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        {rows.map((m, i) => (
          <Box key={i} sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 1, pb: 2, borderBottom: 1, borderColor: 'divider' }} data-testid="member-editor">
            <TextField size="small" label={translate('fangfan.members.name')} value={m.name} onChange={(e) => set(i, { name: e.target.value })} />
            <TextField size="small" label={translate('fangfan.members.id_number')} value={m.idNumber} onChange={(e) => set(i, { idNumber: e.target.value })} />
            <TextField select size="small" label={translate('fangfan.members.relation')} value={m.relation} onChange={(e) => set(i, { relation: e.target.value })}>
              {choicesOf(MEMBER_RELATIONS, locale).map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label={translate('fangfan.members.labour')} value={m.labourCapacity} onChange={(e) => set(i, { labourCapacity: e.target.value })}>
              {choicesOf(LABOUR_CAPACITIES, locale).map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label={translate('fangfan.members.disability')} value={m.disabilityGrade ?? 0} onChange={(e) => set(i, { disabilityGrade: Number(e.target.value) || null })}>
              <MenuItem value={0}>{translate('fangfan.members.no_disability')}</MenuItem>
              {DISABILITY_GRADES.map((g) => (
                <MenuItem key={g} value={g}>
                  {translate('fangfan.members.disability_grade', { grade: g })}
                </MenuItem>
              ))}
            </TextField>
            <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap' }}>
              <FormControlLabel control={<Checkbox checked={m.student} onChange={(e) => set(i, { student: e.target.checked })} />} label={translate('fangfan.members.student')} />
              <FormControlLabel control={<Checkbox checked={m.insured} onChange={(e) => set(i, { insured: e.target.checked })} />} label={translate('fangfan.members.insured')} />
              <IconButton aria-label={translate('fangfan.members.remove')} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                <DeleteIcon />
              </IconButton>
            </Box>
          </Box>
        ))}
        <Button startIcon={<AddIcon />} onClick={() => setRows((rs) => [...rs, blank()])} sx={{ alignSelf: 'flex-start' }}>
          {translate('fangfan.members.add')}
        </Button>
        {save.error && <Alert severity="error">{save.error.message}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={save.isPending} onClick={() => save.mutate(rows)}>
          {translate('ra.action.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function HouseholdMembers() {
  const household = useRecordContext<HouseholdRecord>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const actor = useActor();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [editing, setEditing] = useState(false);
  const id = household ? String(household.id) : '';
  const members = useQuery({ queryKey: ['householdMembers', id], queryFn: () => dataProvider.getHouseholdPart<MembersAnswer>(id, 'members'), enabled: !!id });
  if (!household) return null;
  const list = members.data?.members ?? [];
  return (
    <Box data-testid="household-members">
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <Typography variant="h6" component="h2">
          {translate('fangfan.members.title')}
        </Typography>
        {actor && may(actor, 'households.write') && (
          <Button size="small" startIcon={<EditIcon />} onClick={() => setEditing(true)}>
            {translate('fangfan.members.edit')}
          </Button>
        )}
      </Box>
      {members.error && <Alert severity="error">{members.error.message}</Alert>}
      {!members.isPending && !list.length && (
        <Typography variant="body2" color="text.secondary">
          {translate('fangfan.members.empty')}
        </Typography>
      )}
      {list.map((m) => (
        <Box key={m.id ?? m.idNumber} sx={{ py: 1, borderBottom: 1, borderColor: 'divider' }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            <Typography component="span" fontWeight="bold">
              {m.name}
            </Typography>
            <Chip size="small" label={labelOf(MEMBER_RELATIONS, m.relation, locale)} />
            <Typography component="span" variant="body2" color="text.secondary">
              {m.idNumber}
            </Typography>
          </Box>
          <Typography variant="body2">{memberFacts(m, translate, locale)}</Typography>
        </Box>
      ))}
      {editing && <MembersDialog household={household} members={list} onClose={() => setEditing(false)} />}
    </Box>
  );
}
