/**
 * 月度报表: the month's monitoring report as an Excel workbook (GET /api/reports/monthly.xlsx), for this
 * month or one of the eleven before it, over what the user may see.
 */
import { useState } from 'react';
import { Button, CircularProgress, MenuItem, Stack, TextField } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import PrintIcon from '@mui/icons-material/Print';
import { useDataProvider, useLocaleState, useNotify, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import { useApiMutation } from '../common/useApiMutation';
import { saveBlob } from '../common/ExportButton';
import { langOf } from '../lib/text';
import { printHtml } from '../processes/PrintButtons';

/** This month and the eleven before it, newest first (YYYY-MM). */
export function recentMonths(today: string, count = 12): string[] {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return Array.from({ length: count }, (_, i) => {
    const n = y * 12 + (m - 1) - i;
    return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  });
}

export function MonthlyReportButton({ today }: { today: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const months = recentMonths(today);
  const [month, setMonth] = useState(months[0]!);
  const download = useApiMutation({
    mutationFn: () => dataProvider.getMonthlyReport(month, langOf(locale)),
    onSuccess: ({ blob, filename }) => {
      saveBlob(blob, filename);
      notify('fangfan.export.done', { type: 'success', messageArgs: { filename } });
    },
    onError: (e) => notify(e.message, { type: 'error' }),
  });
  // The summary by town as an A4 page (with its chart), printed or saved as PDF from the browser's print dialog.
  const print = useApiMutation({
    mutationFn: () => dataProvider.getMonthlySummaryHtml(month),
    onSuccess: (html) => printHtml(html, translate('fangfan.dashboard.report_print')),
    onError: (e) => notify(e.message, { type: 'error' }),
  });
  return (
    <Stack direction="row" spacing={1} alignItems="center" useFlexGap sx={{ mb: 1, flexWrap: "wrap", rowGap: 1 }}>
      <TextField select size="small" label={translate('fangfan.dashboard.report_month')} value={month} onChange={(e) => setMonth(e.target.value)} sx={{ minWidth: 140 }} inputProps={{ 'data-testid': 'report-month' }}>
        {months.map((m) => (
          <MenuItem key={m} value={m}>
            {translate('fangfan.dashboard.month', { year: m.slice(0, 4), month: Number(m.slice(5)) })}
          </MenuItem>
        ))}
      </TextField>
      <Button size="small" variant="outlined" sx={{ whiteSpace: "nowrap", flexShrink: 0 }} onClick={() => download.mutate()} disabled={download.isPending} startIcon={download.isPending ? <CircularProgress size={14} /> : <DownloadIcon />} data-testid="monthly-report">
        {translate('fangfan.dashboard.report')}
      </Button>
      <Button size="small" variant="outlined" sx={{ whiteSpace: 'nowrap', flexShrink: 0 }} onClick={() => print.mutate(undefined)} disabled={print.isPending} startIcon={print.isPending ? <CircularProgress size={14} /> : <PrintIcon />} data-testid="monthly-report-print">
        {translate('fangfan.dashboard.report_print')}
      </Button>
    </Stack>
  );
}
