/** 流程设计 (administrators): the designed processes, every saved version, newest first. */
import { CreateButton, DataTable, List, SimpleList, TopToolbar, useLocaleState, useTranslate } from 'react-admin';
import { useIsSmall } from '../common/useIsSmall';
import { pick } from '../lib/text';
import { DefinitionStatusChip } from './StatusChip';
import type { ProcessDefinitionRecord } from './types';

export function DesignerList() {
  const isSmall = useIsSmall();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const actions = (
    <TopToolbar>
      <CreateButton label="fangfan.designer.create" />
    </TopToolbar>
  );
  const statusText = (d: ProcessDefinitionRecord) => translate(`fangfan.designer.status.${d.status}`, { _: translate('fangfan.designer.status.retired') });
  return (
    <List<ProcessDefinitionRecord> sort={{ field: 'key', order: 'ASC' }} exporter={false} actions={actions} empty={false}>
      {isSmall ? (
        <SimpleList<ProcessDefinitionRecord>
          primaryText={(d) => pick(d.title, locale)}
          secondaryText={(d) => `${translate('fangfan.designer.version', { version: d.version })} · ${statusText(d)}`}
          tertiaryText={(d) => d.key}
          rowClick="show"
        />
      ) : (
        <DataTable<ProcessDefinitionRecord> rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="key" />
          <DataTable.Col source="title" disableSort render={(d) => pick(d.title, locale)} />
          <DataTable.Col source="version" render={(d) => translate('fangfan.designer.version', { version: d.version })} />
          <DataTable.Col source="status" disableSort render={(d) => <DefinitionStatusChip status={d.status} />} />
        </DataTable>
      )}
    </List>
  );
}
