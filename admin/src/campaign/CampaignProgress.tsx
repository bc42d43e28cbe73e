/**
 * 大走访进度: the year's visit-inspect-rectify campaign over what the user may see — households visited,
 * visits late, problems found by category, problems closed (销号), reopened after a false or perfunctory
 * fix, and overdue — for the district and by town, as progress bars people read at a glance (one card
 * per town: fits a phone).
 */
import { useState } from 'react';
import { Alert, Box, Card, CardContent, Chip, CircularProgress, LinearProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title, useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { CampaignCounts, CampaignProgress as Progress } from '../api/types';
import { StatusChip } from '../common/StatusChip';
import { useProcessType } from '../common/useCatalogue';
import { langOf } from '../lib/text';
import { today } from '../lib/dates';

function Bar({ label, part, whole, color }: { label: string; part: number; whole: number; color: 'primary' | 'success' }) {
  const value = whole ? Math.round((part / whole) * 100) : 0;
  return (
    <Box sx={{ mb: 1 }}>
      <Stack direction="row" justifyContent="space-between">
        <Typography variant="body2">{label}</Typography>
        <Typography variant="body2" color="text.secondary">
          {part} / {whole}（{value}%）
        </Typography>
      </Stack>
      <LinearProgress variant="determinate" value={value} color={color} sx={{ height: 8, borderRadius: 4 }} />
    </Box>
  );
}

function CountsCard({ title, counts, categories, testId }: { title: string; counts: CampaignCounts; categories: Progress['categories']; testId: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const lang = langOf(locale);
  const found = Object.entries(counts.problemsByCategory).filter(([, n]) => n > 0);
  return (
    <Card data-testid={testId}>
      <CardContent>
        <Typography variant="subtitle1" sx={{ mb: 1 }}>
          {title}
        </Typography>
        <Bar label={translate('fangfan.campaign.visited')} part={counts.visited} whole={counts.households} color="primary" />
        <Bar label={translate('fangfan.campaign.closed')} part={counts.closed} whole={counts.problems} color="success" />
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
          {counts.visitsOverdue > 0 && <Chip size="small" color="error" label={translate('fangfan.campaign.visits_overdue', { n: counts.visitsOverdue })} />}
          {counts.overdue > 0 && <Chip size="small" color="error" label={translate('fangfan.campaign.problems_overdue', { n: counts.overdue })} />}
          {counts.reopened > 0 && <Chip size="small" color="warning" label={translate('fangfan.campaign.reopened', { n: counts.reopened })} />}
          {found.map(([key, n]) => (
            <Chip key={key} size="small" variant="outlined" label={`${categories[key]?.[lang] ?? translate('fangfan.campaign.other')} ${n}`} />
          ))}
          {counts.problems === 0 && <Typography variant="body2" color="text.secondary">{translate('fangfan.campaign.no_problems')}</Typography>}
        </Stack>
      </CardContent>
    </Card>
  );
}

export function CampaignProgressPage() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const thisYear = Number(today().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const query = useQuery({ queryKey: ['campaignProgress', year], queryFn: () => dataProvider.getCampaignProgress(year), refetchInterval: 60_000 });
  const type = useProcessType('campaign');
  const progress = query.data;
  const stage = progress && type?.steps.find((s) => s.key === progress.campaign.stage)?.title;
  return (
    <Box sx={{ mt: 1, mb: 2 }} data-testid="campaign-progress">
      <Title title={translate('fangfan.campaign.title')} />
      <Stack direction="row" spacing={1} alignItems="center" sx={{ mb: 2, flexWrap: 'wrap', rowGap: 1 }}>
        <TextField select size="small" label={translate('fangfan.campaign.year')} value={year} onChange={(e) => setYear(Number(e.target.value))}>
          {[thisYear, thisYear - 1, thisYear - 2].map((y) => (
            <MenuItem key={y} value={y}>
              {translate('fangfan.calendar.year', { year: y })}
            </MenuItem>
          ))}
        </TextField>
        {progress && <StatusChip status={progress.campaign.status} />}
        {progress && stage && progress.campaign.status === 'running' && <Typography variant="body2">{translate('fangfan.campaign.stage', { stage })}</Typography>}
      </Stack>
      {query.isPending && <CircularProgress size={24} />}
      {query.error && <Alert severity="error">{query.error.message}</Alert>}
      {query.data === null && <Alert severity="info">{translate('fangfan.campaign.none', { year })}</Alert>}
      {progress && (
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: 2 }}>
          {progress.totals && <CountsCard title={translate('fangfan.campaign.district')} counts={progress.totals} categories={progress.categories} testId="campaign-district" />}
          {progress.towns.map((t) => (
            <CountsCard key={t.town} title={t.town} counts={t} categories={progress.categories} testId={`campaign-town-${t.town}`} />
          ))}
        </Box>
      )}
    </Box>
  );
}
