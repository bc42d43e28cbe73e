/**
 * A rectification's re-check record (plan item 49): how often a false or perfunctory fix was sent back,
 * and the 问责 recorded each time (who, the measure, the date). Shown on the case page.
 */
import { Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { ProcessDetail } from '../api/types';
import { formatDate } from '../lib/dates';

interface Entry {
  who: string;
  measure: string;
  decidedOn: string;
  round: number;
  department?: string;
}

export function Accountability({ process }: { process: ProcessDetail }) {
  const translate = useTranslate();
  const data = (process.state?.data ?? {}) as { reopened?: number; accountability?: Entry[] };
  const entries = data.accountability ?? [];
  return (
    <Stack spacing={1} data-testid="accountability">
      <Typography variant="body2">{translate('fangfan.rectification.reopened', { count: data.reopened ?? 0 })}</Typography>
      {entries.length ? (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('fangfan.rectification.round')}</TableCell>
              <TableCell>{translate('fangfan.rectification.who')}</TableCell>
              <TableCell>{translate('fangfan.rectification.measure')}</TableCell>
              <TableCell>{translate('fangfan.rectification.decided_on')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map((e) => (
              <TableRow key={e.round}>
                <TableCell>{e.round}</TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>{e.who}</TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>{e.measure}</TableCell>
                <TableCell>{formatDate(e.decidedOn)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography variant="body2" color="text.secondary">
          {translate('fangfan.rectification.none')}
        </Typography>
      )}
    </Stack>
  );
}
