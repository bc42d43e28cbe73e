/**
 * 督办与考核 (plan item 6). District supervisors: the year's score of every town and department with
 * each component and the formula written out (so it can be argued with), and the 约谈/问责 records
 * (who, why, when, the measure, the cases, where each came from: recorded here or a rectification's
 * re-check) with a form to add one. A town's or a department's officers: their own score's card and the
 * records concerning them. Supervisors and town officers also see the secretaries' 遍访 coverage
 * (SecretaryVisits.tsx).
 */
import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, MenuItem, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Title, useCreate, useDataProvider, useGetList, useLocaleState, useNotify, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { SupervisionScoreRow } from '../api/types';
import type { Text } from '../../../contracts/i18n';
import { pick } from '../lib/text';
import { today } from '../lib/dates';
import { stackedOnPhone } from '../lib/stackedTable';
import { DateTextField } from '../common/DateTextField';
import { useActor } from '../common/useActor';
import { may } from '../../../contracts/authz';
import { OwnScore, percent } from './OwnScore';
import { SecretaryVisits } from './SecretaryVisits';
import { YearCardHeader, currentYear } from './YearCardHeader';


function Scores() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [year, setYear] = useState(currentYear);
  const { data, isPending, error } = useQuery({ queryKey: ['supervisionScores', year], queryFn: () => dataProvider.getSupervisionScores(year) });
  const actor = useActor();
  // The district's supervision compares every town and department; a town or a department sees its own card.
  const districtWide = !!actor && actor.roles.some((r) => r === 'admin' || r === 'district_supervisor');
  const label = (kind: SupervisionScoreRow['kind'], c: string) => translate(`fangfan.supervision.scores.${c === 'unit' ? kind : c}`);
  const table = (kind: SupervisionScoreRow['kind']) => (
    <Box>
      <Table size="small" data-testid={`scores-${kind}`} sx={stackedOnPhone}>
        <TableHead>
          <TableRow>
            {['unit', 'on_time', ...(kind === 'town' ? ['visits'] : []), 'reopened', 'notices', 'score'].map((c) => (
              <TableCell key={c} align={c === 'unit' ? 'left' : 'right'}>
                {label(kind, c)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {data!.rows
            .filter((r) => r.kind === kind)
            .sort((a, b) => a.score - b.score)
            .map((r) => (
              <TableRow key={r.unit}>
                <TableCell data-label={label(kind, 'unit')}>{r.unit}</TableCell>
                <TableCell align="right" data-label={label(kind, 'on_time')}>
                  {percent(r.onTimeRate)}（{r.stepsOnTime}/{r.stepsDue}）
                </TableCell>
                {kind === 'town' && (
                  <TableCell align="right" data-label={label(kind, 'visits')}>
                    {percent(r.visitRate)}（{r.visitsDone}/{r.visitsDue}）
                  </TableCell>
                )}
                <TableCell align="right" data-label={label(kind, 'reopened')}>{r.reopenedFixes}</TableCell>
                <TableCell align="right" data-label={label(kind, 'notices')}>{r.noticesReceived}</TableCell>
                <TableCell align="right" data-label={label(kind, 'score')}>
                  <strong>{r.score.toFixed(1)}</strong>
                </TableCell>
              </TableRow>
            ))}
        </TableBody>
      </Table>
    </Box>
  );
  return (
    <Card sx={{ mb: 2, minWidth: 0 }}>
      <CardContent>
        <YearCardHeader title={translate('fangfan.supervision.scores.title')} year={year} onYear={setYear} testId="scores-year" isPending={isPending} error={error} />
        {data && !districtWide && !data.rows.length && <Alert severity="info">{translate('fangfan.supervision.scores.none')}</Alert>}
        {data && !districtWide && data.rows.map((r) => <OwnScore key={`${r.kind}:${r.unit}`} scores={data} row={r} />)}
        {data && districtWide && (
          <>
            <Alert severity="info" sx={{ mb: 1 }} data-testid="scores-formula">
              <div>{pick(data.formula.town, locale)}</div>
              <div>{pick(data.formula.department, locale)}</div>
            </Alert>
            {table('town')}
            <Box sx={{ mt: 2 }}>{table('department')}</Box>
          </>
        )}
      </CardContent>
    </Card>
  );
}

interface RecordRow {
  id: string;
  kind: 'talk' | 'accountability';
  target: string;
  reason: string;
  decidedOn: string;
  measure: string;
  processIds: string[];
  recordedByName: string;
  sourceTitle: Text;
}

function NewRecord() {
  const translate = useTranslate();
  const notify = useNotify();
  const [create, { isPending }] = useCreate();
  const empty = { kind: 'talk', target: '', reason: '', decidedOn: today(), measure: '', cases: '' };
  const [form, setForm] = useState(empty);
  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = () => {
    const processIds = form.cases.split(/[\s,，、]+/).filter(Boolean);
    const { cases: _, ...data } = form;
    void create(
      'accountability',
      { data: { ...data, processIds } },
      {
        onSuccess: () => {
          notify('fangfan.supervision.records.saved', { type: 'success' });
          setForm(empty);
        },
        onError: (e) => notify((e as Error).message, { type: 'error' }),
      },
    );
  };
  const field = (k: keyof typeof empty, extra: object = {}) => (
    <TextField size="small" label={translate(`fangfan.supervision.records.${k}`)} value={form[k]} onChange={set(k)} fullWidth inputProps={{ 'data-testid': `record-${k}` }} {...extra} />
  );
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 1fr) minmax(0, 1fr)' }, gap: 1, mb: 2 }} data-testid="record-form">
      <TextField select size="small" label={translate('fangfan.supervision.records.kind')} value={form.kind} onChange={set('kind')}>
        {(['talk', 'accountability'] as const).map((k) => (
          <MenuItem key={k} value={k}>
            {translate(`fangfan.supervision.records.kinds.${k}`)}
          </MenuItem>
        ))}
      </TextField>
      {field('target')}
      {field('reason', { multiline: true })}
      {field('measure')}
      <DateTextField
        size="small"
        fullWidth
        label={translate('fangfan.supervision.records.decidedOn')}
        value={form.decidedOn || undefined}
        onChange={(v) => setForm((f) => ({ ...f, decidedOn: v ?? '' }))}
        inputProps={{ 'data-testid': 'record-decidedOn' }}
      />
      {field('cases', { helperText: translate('fangfan.supervision.records.cases_hint') })}
      <Box>
        <Button variant="contained" onClick={submit} disabled={isPending || !form.target.trim() || !form.reason.trim() || !form.measure.trim()} data-testid="record-save">
          {translate('fangfan.supervision.records.save')}
        </Button>
      </Box>
    </Box>
  );
}

function Records() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const actor = useActor();
  const { data = [], isPending } = useGetList<RecordRow>('accountability', { pagination: { page: 1, perPage: 50 }, sort: { field: 'decidedOn', order: 'DESC' } });
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          {translate('fangfan.supervision.records.title')}
        </Typography>
        {actor && may(actor, 'supervision.record') && <NewRecord />}
        {isPending && <CircularProgress size={24} />}
        {!isPending && !data.length && <Alert severity="success">{translate('fangfan.supervision.records.none')}</Alert>}
        {data.length > 0 && (
          <Box>
            <Table size="small" data-testid="records" sx={stackedOnPhone}>
              <TableHead>
                <TableRow>
                  {['decidedOn', 'kind', 'target', 'reason', 'measure', 'cases', 'recordedBy', 'source'].map((c) => (
                    <TableCell key={c}>{translate(`fangfan.supervision.records.${c}`)}</TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {data.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell data-label={translate('fangfan.supervision.records.decidedOn')}>{r.decidedOn}</TableCell>
                    <TableCell data-label={translate('fangfan.supervision.records.kind')}>{translate(`fangfan.supervision.records.kinds.${r.kind}`)}</TableCell>
                    <TableCell data-label={translate('fangfan.supervision.records.target')}>{r.target}</TableCell>
                    <TableCell data-label={translate('fangfan.supervision.records.reason')}>{r.reason}</TableCell>
                    <TableCell data-label={translate('fangfan.supervision.records.measure')}>{r.measure}</TableCell>
                    <TableCell data-label={translate('fangfan.supervision.records.cases')}>
                      {r.processIds.map((id) => (
                        <div key={id}>
                          <Link to={`/processes/${encodeURIComponent(id)}/show`}>{translate('fangfan.overdue.open_case')}</Link>
                        </div>
                      ))}
                    </TableCell>
                    <TableCell data-label={translate('fangfan.supervision.records.recordedBy')}>{r.recordedByName}</TableCell>
                    <TableCell data-label={translate('fangfan.supervision.records.source')}>{pick(r.sourceTitle, locale)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

export function SupervisionPage() {
  const translate = useTranslate();
  const actor = useActor();
  return (
    <Box sx={{ mt: 1, mb: 2, minWidth: 0, maxWidth: '100%' }}>
      <Title title={translate('fangfan.supervision.page')} />
      <Scores />
      {actor && may(actor, 'supervision.secretaryVisits') && <SecretaryVisits />}
      <Records />
    </Box>
  );
}
