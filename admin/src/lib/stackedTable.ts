/**
 * A table that becomes a list of cards on a phone: below the `sm` breakpoint its header is hidden, each
 * row is a block and each cell a line "label … value", the label taken from the cell's `data-label`. So a
 * table of many columns never scrolls sideways at 390 px. Use as `<Table sx={stackedOnPhone}>` with
 * `<TableCell data-label="…">` on every body cell.
 */
import type { Theme } from '@mui/material';

export const stackedOnPhone = (theme: Theme) => ({
  [theme.breakpoints.down('sm')]: {
    '& thead': { display: 'none' },
    '& tbody tr': { display: 'block', borderBottom: `1px solid ${theme.palette.divider}`, py: 1 },
    '& tbody td': { display: 'flex', justifyContent: 'space-between', gap: 2, border: 0, py: 0.25, px: 0, textAlign: 'right', overflowWrap: 'anywhere' },
    '& tbody td::before': { content: 'attr(data-label)', color: theme.palette.text.secondary, textAlign: 'left', flexShrink: 0 },
  },
});
