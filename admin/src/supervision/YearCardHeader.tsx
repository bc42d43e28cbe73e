/** The head of a yearly card on 督办与考核: its title, the year (this year and the two before), and the query's state. */
import type { ReactNode } from 'react';
import { Alert, CircularProgress, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { today } from '../lib/dates';

export const currentYear = () => Number(today().slice(0, 4));

export function YearCardHeader({ title, year, onYear, testId, isPending, error }: { title: ReactNode; year: number; onYear: (year: number) => void; testId: string; isPending: boolean; error: Error | null }) {
  const translate = useTranslate();
  const thisYear = currentYear();
  return (
    <>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          {title}
        </Typography>
        <TextField select size="small" fullWidth={false} sx={{ flexShrink: 0 }} value={year} onChange={(e) => onYear(Number(e.target.value))} inputProps={{ 'data-testid': testId }}>
          {[thisYear, thisYear - 1, thisYear - 2].map((y) => (
            <MenuItem key={y} value={y}>
              {translate('fangfan.supervision.scores.year', { year: y })}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      {isPending && <CircularProgress size={24} />}
      {error && <Alert severity="error">{error.message}</Alert>}
    </>
  );
}
