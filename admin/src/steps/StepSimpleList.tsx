/** Step rows on a phone: the household head and the step, the process and place, the due chip (and a row's `action`, e.g. 督办). */
import type { ReactNode } from 'react';
import { Box } from '@mui/material';
import { SimpleList, useLocaleState } from 'react-admin';
import type { StepRecord } from '../api/types';
import { RoleLabel } from '../common/RoleLabel';
import { pick } from '../lib/text';
import { StepDue, openCase, overdueRowSx, stepTitle } from './StepFields';

export function StepSimpleList({ action }: { action?: (step: StepRecord) => ReactNode } = {}) {
  const [locale] = useLocaleState();
  return (
    <SimpleList<StepRecord>
      primaryText={(s) => (
        <span data-testid="step-row-title">
          {s.headName && (
            <Box component="strong" data-testid="step-head-name">
              {s.headName} ·{' '}
            </Box>
          )}
          {stepTitle(s, locale)}
        </span>
      )}
      secondaryText={(s) => (
        <>
          {pick(s.processTitle, locale)} · {s.town}
          {s.village} · <RoleLabel role={s.role} />
        </>
      )}
      tertiaryText={(s) => (
        <Box component="span" sx={{ display: 'inline-block', mt: 0.5 }}>
          <StepDue step={s} showDate={false} />
          {action?.(s)}
        </Box>
      )}
      rowClick={openCase}
      rowSx={overdueRowSx}
    />
  );
}
