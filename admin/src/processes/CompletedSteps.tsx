/** Steps already done (or withdrawn) in this case, each with its form as submitted. */
import { Accordion, AccordionDetails, AccordionSummary, Box, Typography } from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { useLocaleState, useTranslate } from 'react-admin';
import type { StepInstance } from '../../../contracts/steps';
import type { ProcessTypeInfo } from '../api/types';
import { StatusChip } from '../common/StatusChip';
import { FormDataView } from '../forms/FormDataView';
import { formatDateTime } from '../lib/dates';
import { pick } from '../lib/text';

export function CompletedSteps({ steps, def }: { steps: StepInstance[]; def?: ProcessTypeInfo }) {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const closed = steps.filter((s) => s.status !== 'open');
  if (!closed.length) return null;
  return (
    <Box data-testid="completed-steps">
      {closed.map((s) => {
        const form = def?.steps.find((d) => d.key === s.key)?.form;
        return (
          <Accordion key={s.id} disableGutters variant="outlined">
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {pick(s.title, locale)}
                </Typography>
                <StatusChip status={s.status} kind="step_status" />
                {s.completedBy && s.completedAt && (
                  <Typography variant="caption" color="text.secondary">
                    {translate('fangfan.process.completed_by', { name: s.completedBy.name, at: formatDateTime(s.completedAt) })}
                  </Typography>
                )}
              </Box>
            </AccordionSummary>
            <AccordionDetails>
              {s.cancelReason && (
                <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                  {s.cancelReason}
                </Typography>
              )}
              <FormDataView schema={form} data={s.result} />
            </AccordionDetails>
          </Accordion>
        );
      })}
    </Box>
  );
}
