/** Step rows on a phone: title, case and place, due. */
import { Box } from '@mui/material';
import { SimpleList, useLocaleState } from 'react-admin';
import type { StepRecord } from '../api/types';
import { DueChip } from '../common/DueChip';
import { ProcessTypeTitle } from '../common/ProcessTypeField';
import { RoleLabel } from '../common/RoleLabel';
import { openCase, overdueRowSx, stepTitle } from './StepFields';

export function StepSimpleList() {
  const [locale] = useLocaleState();
  return (
    <SimpleList<StepRecord>
      primaryText={(s) => stepTitle(s, locale)}
      secondaryText={(s) => (
        <>
          <ProcessTypeTitle type={s.processType} /> · {s.town}
          {s.village} · <RoleLabel role={s.role} />
        </>
      )}
      tertiaryText={(s) => (
        <Box component="span" sx={{ display: 'inline-block', mt: 0.5 }}>
          <DueChip dueAt={s.dueAt} done={s.status !== 'open'} provisional={s.provisional} showDate={false} />
        </Box>
      )}
      rowClick={openCase}
      rowSx={overdueRowSx}
    />
  );
}
