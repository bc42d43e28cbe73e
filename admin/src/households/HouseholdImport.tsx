/**
 * Import households from a CSV or XLSX file (`POST /api/households/import`): the report says how many
 * rows were created, updated, unchanged, and which rows were refused and why (a refused row changes
 * nothing).
 */
import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Link as MuiLink, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Title, useCreatePath, useDataProvider, useRefresh, useTranslate } from 'react-admin';
import { Link as RouterLink } from 'react-router-dom';
import type { AppDataProvider } from '../api/dataProvider';
import type { ImportReport } from '../api/types';
import { useApiMutation } from '../common/useApiMutation';
import { FailureAlert } from '../forms/SchemaForm';
import { toFormFailure } from '../lib/serverErrors';

function Report({ report }: { report: ImportReport }) {
  const translate = useTranslate();
  const createPath = useCreatePath();
  const ids = [...report.createdIds, ...report.updatedIds];
  return (
    <Stack spacing={2} data-testid="import-report">
      <Alert severity={report.refused.length ? 'warning' : 'success'}>
        {translate('fangfan.households.report', {
          rows: report.rows,
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          refused: report.refused.length,
        })}
      </Alert>
      {report.ignoredColumns.length > 0 && (
        <Typography variant="body2" color="text.secondary">
          {translate('fangfan.households.ignored_columns', { columns: report.ignoredColumns.join('、') })}
        </Typography>
      )}
      {report.refused.length > 0 && (
        <Box sx={{ overflowX: 'auto' }}>
          <Typography variant="subtitle1">{translate('fangfan.households.refused_rows')}</Typography>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{translate('fangfan.households.row')}</TableCell>
                <TableCell>{translate('fangfan.households.reasons')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {report.refused.map((r) => (
                <TableRow key={r.row}>
                  <TableCell>{r.row}</TableCell>
                  <TableCell>
                    {r.reasons.map((reason) => (
                      <div key={reason}>{reason}</div>
                    ))}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
      {ids.length > 0 && (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          {ids.map((id) => (
            <MuiLink key={id} component={RouterLink} to={createPath({ resource: 'households', id, type: 'show' })}>
              {id}
            </MuiLink>
          ))}
        </Box>
      )}
    </Stack>
  );
}

export function HouseholdImport() {
  const translate = useTranslate();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [file, setFile] = useState<File>();
  const upload = useApiMutation({ mutationFn: (f: File) => dataProvider.importHouseholds(f), onSuccess: () => refresh() });
  const failure = upload.error ? toFormFailure(upload.error, { type: 'object' }, { translate }) : undefined;
  return (
    <Box sx={{ mt: 1, mb: 2 }}>
      <Title title={translate('fangfan.households.import_title')} />
      <Card>
        <CardContent>
          <Stack spacing={2}>
            <Typography variant="body2" color="text.secondary">
              {translate('fangfan.households.import_hint')}
            </Typography>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
              <Button variant="outlined" component="label" startIcon={<UploadFileIcon />}>
                {translate('fangfan.households.choose_file')}
                <input
                  hidden
                  type="file"
                  accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  data-testid="import-file"
                  onChange={(e) => {
                    setFile(e.target.files?.[0]);
                    upload.reset();
                  }}
                />
              </Button>
              <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
                {file?.name}
              </Typography>
              <Button variant="contained" disabled={!file || upload.isPending} onClick={() => file && upload.mutate(file)} startIcon={upload.isPending ? <CircularProgress size={16} /> : undefined}>
                {translate('fangfan.households.upload')}
              </Button>
            </Stack>
            {failure && <FailureAlert failure={failure} />}
            {upload.data && <Report report={upload.data} />}
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
