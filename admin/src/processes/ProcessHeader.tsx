/** A case at a glance: who and where, stage, status, deadline, outcome, and the actions allowed. */
import type { ReactNode } from 'react';
import { Accordion, AccordionDetails, AccordionSummary, Alert, Box, Card, CardContent, Chip, Stack, Typography } from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { Link, useCreatePath, useLocaleState, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import type { ProcessDetail, ProcessTypeInfo } from '../api/types';
import { DueChip } from '../common/DueChip';
import { StageTitle } from '../common/ProcessTypeField';
import { StatusChip } from '../common/StatusChip';
import { useIsSmall } from '../common/useIsSmall';
import { FormDataView } from '../forms/FormDataView';
import { formatDateTime } from '../lib/dates';
import { pick, pickSentence } from '../lib/text';
import { ProcessActions } from './ProcessActions';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
      </Typography>
      <Typography variant="body2" component="div" sx={{ wordBreak: 'break-all' }}>
        {children}
      </Typography>
    </Box>
  );
}

/** The start request, where the case's state keeps it (`data.request`). */
function startRequest(p: ProcessDetail): unknown {
  const data = p.state?.data as Record<string, unknown> | undefined;
  return data?.request;
}

export function ProcessHeader({ process, def, onChanged }: { process: ProcessDetail; def?: ProcessTypeInfo; onChanged: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const createPath = useCreatePath();
  const isSmall = useIsSmall();
  const f = (name: string) => translate(`resources.processes.fields.${name}`);
  const headName = process.title ?? ((process.state?.data as Record<string, unknown> | undefined)?.headName as string | undefined);
  const outcome = process.state?.outcome;
  const request = startRequest(process);
  return (
    <Card>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 1 }}>
          <Typography variant="h5" component="h1" data-testid="process-title">
            {headName ?? process.subject} · {def ? pick(def.title, locale) : process.type}
          </Typography>
          <StatusChip status={process.status} />
          {process.overdue && process.status === 'running' && <Chip size="small" color="error" label={translate('fangfan.process.overdue_badge')} />}
        </Stack>
        {!process.state && (
          <Alert severity="warning" sx={{ mb: 1 }}>
            {translate('fangfan.process.not_loaded')}
          </Alert>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' }, gap: 1.5, mb: 2 }}>
          <Item label={translate('fangfan.process.stage')}>
            <StageTitle type={process.type} stage={process.stage} />
          </Item>
          <Item label={translate('fangfan.process.household')}>
            {process.householdId ? (
              <Link component={RouterLink} to={createPath({ resource: 'households', id: process.householdId, type: 'show' })}>
                {headName ? `${headName}（${process.householdId}）` : process.householdId}
              </Link>
            ) : (
              process.subject
            )}
          </Item>
          <Item label={translate('fangfan.process.place')}>
            {process.town}
            {process.village}
          </Item>
          <Item label={f('startedAt')}>{formatDateTime(process.startedAt)}</Item>
          <Item label={translate('fangfan.process.overall_due')}>
            <DueChip dueAt={process.dueAt} done={process.status !== 'running'} provisional={process.provisional} />
          </Item>
          {process.closedAt && <Item label={f('closedAt')}>{formatDateTime(process.closedAt)}</Item>}
          {outcome && (
            <Item label={translate('fangfan.process.outcome')}>
              {pickSentence(outcome.result, locale)}
              {outcome.reasons ? `：${outcome.reasons}` : ''}
            </Item>
          )}
          {process.policyVersion && <Item label={translate('fangfan.process.policy_version')}>{process.policyVersion.split('#')[0]}</Item>}
          {process.caseNo && <Item label={f('caseNo')}>{process.caseNo}</Item>}
        </Box>
        {request !== undefined && def && (
          <Accordion disableGutters variant="outlined" defaultExpanded={!isSmall} sx={{ mb: 2 }}>
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <Typography variant="subtitle2">{translate('fangfan.process.request')}</Typography>
            </AccordionSummary>
            <AccordionDetails>
              <FormDataView schema={def.startSchema} data={request} />
            </AccordionDetails>
          </Accordion>
        )}
        <ProcessActions process={process} def={def} onChanged={onChanged} />
      </CardContent>
    </Card>
  );
}
