/**
 * Exports the list as it is filtered to the Excel ledger (工作台账): `GET /api/<list>/export.xlsx`
 * fetched with the bearer token, then saved as a download.
 */
import { useState } from 'react';
import { Button, CircularProgress } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useMutation } from '@tanstack/react-query';
import { useDataProvider, useListContext, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { langOf } from '../lib/text';
import type { AppDataProvider } from '../api/dataProvider';

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButton({ resource: forced }: { resource?: string }) {
  const { filter, filterValues, sort, resource } = useListContext();
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [busy, setBusy] = useState(false);
  const { mutate } = useMutation({
    // The user's filters and the list's permanent ones (e.g. the inbox's `mine`).
    mutationFn: () => dataProvider.exportXlsx(forced ?? resource, { filter: { ...filterValues, ...filter }, sort, lang: langOf(locale) }),
    onMutate: () => setBusy(true),
    onSettled: () => setBusy(false),
    onSuccess: ({ blob, filename }) => {
      saveBlob(blob, filename);
      notify('fangfan.export.done', { type: 'success', messageArgs: { filename } });
    },
    onError: (e: Error) => notify(e.message, { type: 'error' }),
  });
  return (
    <Button size="small" onClick={() => mutate()} disabled={busy} startIcon={busy ? <CircularProgress size={14} /> : <DownloadIcon />} data-testid="export-xlsx">
      {translate('fangfan.export.button')}
    </Button>
  );
}
