/**
 * A table's rows on a phone: one small card per row, its name as the heading and each column as
 * "label value" below, so that nothing is wider than the screen (no sideways scrolling in a card).
 */
import type { ReactNode } from 'react';
import { Box, Typography } from '@mui/material';

export interface StackedRow {
  key: string;
  title: ReactNode;
  /** `wide`: a long value (a case number) takes the card's whole width. */
  cells: { label: string; value: ReactNode; wide?: boolean }[];
}

export function StackedRows({ rows, testId }: { rows: StackedRow[]; testId?: string }) {
  return (
    <Box data-testid={testId} sx={{ display: 'grid', gap: 1 }}>
      {rows.map((row) => (
        <Box key={row.key} data-testid="stacked-row" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5 }}>
          <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
            {row.title}
          </Typography>
          <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 2, rowGap: 0.5 }}>
            {row.cells.map((c) => (
              <Box key={c.label} sx={{ display: 'flex', justifyContent: 'space-between', gap: 1, minWidth: 0, ...(c.wide ? { gridColumn: '1 / -1' } : {}) }}>
                <Typography component="dt" variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
                  {c.label}
                </Typography>
                <Typography component="dd" variant="body2" sx={{ m: 0, textAlign: 'right', fontWeight: 500 }}>
                  {c.value}
                </Typography>
              </Box>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
