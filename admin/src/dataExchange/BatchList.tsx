/** 数据比对: the batches departments sent, newest first, with their progress (records processed of received). */
import { Chip, LinearProgress, Stack, Typography } from '@mui/material';
import { CreateButton, DataTable, List, SimpleList, TopToolbar, useTranslate } from 'react-admin';
import type { ExchangeBatch } from './types';
import { useIsSmall } from '../common/useIsSmall';
import { useActor } from '../common/useActor';
import { may } from '../../../contracts/authz';
import { formatDateTime } from '../lib/dates';

export function BatchProgress({ batch }: { batch: ExchangeBatch }) {
  const translate = useTranslate();
  const share = batch.received ? Math.round((batch.processed / batch.received) * 100) : 100;
  return (
    <Stack spacing={0.5} sx={{ minWidth: 140 }}>
      <LinearProgress variant="determinate" value={share} aria-label={translate('fangfan.data_exchange.progress', batch)} />
      <Typography variant="caption">{translate('fangfan.data_exchange.progress', batch)}</Typography>
    </Stack>
  );
}

export function BatchStatus({ batch }: { batch: ExchangeBatch }) {
  const translate = useTranslate();
  return <Chip size="small" color={batch.status === 'done' ? 'success' : 'default'} label={translate(`fangfan.data_exchange.status_${batch.status}`)} />;
}

export function BatchList() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const actor = useActor();
  const maySend = !!actor && may(actor, 'exchange.send');
  return (
    <List<ExchangeBatch> sort={{ field: 'receivedAt', order: 'DESC' }} actions={<TopToolbar>{maySend && <CreateButton label="fangfan.data_exchange.upload_title" />}</TopToolbar>}>
      {isSmall ? (
        <SimpleList<ExchangeBatch>
          primaryText={(b) => `${b.department} · ${b.kind}`}
          secondaryText={(b) => `${translate('fangfan.data_exchange.progress', b)} · ${translate('fangfan.data_exchange.counts', b)}`}
          tertiaryText={(b) => formatDateTime(b.receivedAt)}
          rowClick="show"
        />
      ) : (
        <DataTable<ExchangeBatch> rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="receivedAt" render={(b) => formatDateTime(b.receivedAt)} />
          <DataTable.Col source="department" />
          <DataTable.Col source="kind" disableSort />
          <DataTable.Col source="received" disableSort render={(b) => translate('fangfan.data_exchange.counts', b)} />
          <DataTable.Col source="processed" disableSort render={(b) => <BatchProgress batch={b as ExchangeBatch} />} />
          <DataTable.Col source="status" disableSort render={(b) => <BatchStatus batch={b as ExchangeBatch} />} />
        </DataTable>
      )}
    </List>
  );
}
