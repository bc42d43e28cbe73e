/**
 * One open step of a case: who must act and by when, its context, and — when the user may complete
 * it (`mayComplete`, decided by contracts/authz.ts on the API) — its form from the catalogue. The public
 * notice's card prints the notice.
 */
import { Box, Card, CardContent, CardHeader, Chip, Stack, Typography } from '@mui/material';
import { useDataProvider, useLocaleState, useNotify, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { CatalogueStepInfo, OpenStep, ProcessDetail } from '../api/types';
import { DueChip } from '../common/DueChip';
import { RoleLabel, roleTitle } from '../common/RoleLabel';
import { useActor } from '../common/useActor';
import { useApiMutation } from '../common/useApiMutation';
import { SchemaForm } from '../forms/SchemaForm';
import { formatValue } from '../forms/FormDataView';
import { prefillFromContext } from '../forms/prefill';
import { pick } from '../lib/text';
import { PrintButtons } from './PrintButtons';

/** An objection's id (`objection-2`, workflows/review-procedure.ts) as people count them: 第2条异议. */
const OBJECTION_ID = /^objection-(\d+)$/;

function ContextView({ context }: { context?: Record<string, unknown> }) {
  const translate = useTranslate();
  const entries = Object.entries(context ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (!entries.length) return null;
  const label = (k: string) => translate(`fangfan.context.${k}`, { _: k });
  const words = { separator: translate('fangfan.list_separator'), yes: translate('ra.boolean.true'), no: translate('ra.boolean.false'), label };
  return (
    <Box sx={{ mb: 2, p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }}>
      <Typography variant="subtitle2">{translate('fangfan.process.context')}</Typography>
      {entries.map(([k, v]) => (
        <Typography key={k} variant="body2" sx={{ wordBreak: 'break-word' }}>
          <Box component="span" sx={{ color: 'text.secondary' }}>
            {label(k)}：
          </Box>
          {k === 'objectionId' && typeof v === 'string' && OBJECTION_ID.test(v)
            ? translate('fangfan.context.objection_no', { n: OBJECTION_ID.exec(v)![1] })
            : formatValue(undefined, v, words, k) || translate('fangfan.no_value')}
        </Typography>
      ))}
    </Box>
  );
}

export function StepCard({ process, step, def, onChanged }: { process: ProcessDetail; step: OpenStep; def?: CatalogueStepInfo; onChanged: () => void }) {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const actor = useActor();
  const dataProvider = useDataProvider<AppDataProvider>();
  const title = pick(step.title, locale);
  const complete = useApiMutation({
    mutationFn: (form: Record<string, unknown>) => dataProvider.completeStep({ processId: process.id, stepKey: step.key, stepId: step.id, form }),
  });
  return (
    <Card variant="outlined" data-testid={`step-${step.key}`} sx={step.overdue ? { borderColor: 'error.main' } : undefined}>
      <CardHeader
        title={title}
        slotProps={{ title: { variant: 'h6' } }}
        subheader={
          <Stack direction="row" spacing={1} sx={{ mt: 0.5, flexWrap: 'wrap', rowGap: 0.5, alignItems: 'center' }}>
            <DueChip dueAt={step.dueAt} provisional={step.provisional} />
            <Chip size="small" variant="outlined" label={<RoleLabel role={step.role} />} />
            {step.department && <Chip size="small" variant="outlined" label={step.department} />}
            {step.assignee && <Chip size="small" variant="outlined" label={step.assignee.name} />}
          </Stack>
        }
      />
      <CardContent sx={{ pt: 0 }}>
        <ContextView context={step.context} />
        {step.key === 'publicNotice' && (
          <Stack direction="row" spacing={1} sx={{ mb: 2, flexWrap: 'wrap', rowGap: 1 }} data-testid="step-print">
            <PrintButtons process={process} kinds={['notice']} />
          </Stack>
        )}
        {step.mayComplete && def ? (
          <SchemaForm
            schema={def.form}
            idPrefix={`step-${step.id}`}
            initialData={prefillFromContext(def.form, step.context)}
            context={{ town: process.town, village: process.village, actorId: actor?.id }}
            submitLabel={translate('fangfan.form.submit')}
            onSubmit={(form) => complete.mutateAsync(form)}
            onSuccess={() => {
              notify('fangfan.process.step_done', { type: 'success', messageArgs: { step: title } });
              onChanged();
              refresh();
            }}
          />
        ) : (
          <Typography variant="body2" color="text.secondary" data-testid="waiting-for">
            {translate('fangfan.process.waiting_for', {
              role: step.assignee ? step.assignee.name : step.department ? `${step.department}（${roleTitle(step.role, locale)}）` : roleTitle(step.role, locale),
            })}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}
