/**
 * 流程设计 for one definition (a new one, or a saved version to continue from): the settings, the
 * modeler with our properties panel beside it (below it on phones), the forms, the versions. 保存草稿
 * sends everything (POST /api/process-definitions: a saved key's next version) and shows the server's
 * problems on the diagram; 发布 publishes a saved draft. Loaded lazily with bpmn-js (DesignerPage.tsx).
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import SaveIcon from '@mui/icons-material/Save';
import PublishIcon from '@mui/icons-material/Publish';
import { Loading, Title, useDataProvider, useGetOne, useLocaleState, useNotify, useRedirect, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import { useApiMutation } from '../common/useApiMutation';
import { pick } from '../lib/text';
import { BpmnCanvas } from './BpmnCanvas';
import { DefinitionSettings } from './DefinitionSettings';
import { draftOf, formsOf, formsValid, settingsOf, settingsProblems } from './draft';
import { emptyDiagram } from './emptyDiagram';
import { FormDesigner } from './FormDesigner';
import type { DiagramElement, ModelerServices } from './modelerServices';
import { definitionProblems, type DefinitionProblems } from './problems';
import { ProblemList } from './ProblemList';
import { PropertiesPanel } from './PropertiesPanel';
import { DefinitionStatusChip } from './StatusChip';
import type { ProcessDefinitionRecord } from './types';
import { Versions } from './Versions';

export default function DesignerEditor({ id }: { id?: string }) {
  const { data: record, isPending, error } = useGetOne<ProcessDefinitionRecord>('process-definitions', { id: id ?? '' }, { enabled: !!id });
  if (id && isPending) return <Loading />;
  if (id && error) return <Alert severity="error">{(error as Error).message}</Alert>;
  return <Editor key={record?.id ?? 'new'} record={id ? record : undefined} />;
}

function Editor({ record }: { record?: ProcessDefinitionRecord }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const redirect = useRedirect();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [settings, setSettings] = useState(() => settingsOf(record));
  const [forms, setForms] = useState(() => formsOf(record));
  const [services, setServices] = useState<ModelerServices>();
  const [selected, setSelected] = useState<DiagramElement>();
  const [, setRevision] = useState(0);
  const [dirty, setDirty] = useState(!record);
  const [checked, setChecked] = useState(false);
  const [problems, setProblems] = useState<DefinitionProblems>();
  const [importError, setImportError] = useState<string>();
  const xml = useMemo(() => record?.bpmn ?? emptyDiagram(translate('fangfan.designer.start_event')), [record, translate]);
  const formChoices = forms.map((f) => ({ key: f.key, title: f.title }));

  useEffect(() => {
    if (!services) return;
    const onSelection = (e: Record<string, unknown>) => setSelected((e.newSelection as DiagramElement[])[0]);
    const onChange = () => {
      setRevision((r) => r + 1);
      setDirty(true);
    };
    services.eventBus.on('selection.changed', onSelection);
    services.eventBus.on('commandStack.changed', onChange);
    return () => {
      services.eventBus.off('selection.changed', onSelection);
      services.eventBus.off('commandStack.changed', onChange);
    };
  }, [services]);

  const localProblems = settingsProblems(settings);
  const save = useApiMutation({
    mutationFn: async () => {
      const body = draftOf(settings, forms, await services!.saveXML());
      return (await dataProvider.create<ProcessDefinitionRecord>('process-definitions', { data: body })).data;
    },
    onSuccess: (saved) => {
      setProblems(undefined);
      setDirty(false);
      notify('fangfan.designer.saved', { type: 'success', messageArgs: { version: saved.version } });
      redirect(`/process-definitions/${encodeURIComponent(String(saved.id))}/show`);
    },
    onError: (err) => setProblems(definitionProblems(err, (elementId) => !!services?.elementRegistry.get(elementId))),
  });
  const publish = useApiMutation({
    mutationFn: () => dataProvider.publishProcessDefinition(record!.id),
    onSuccess: () => {
      notify('fangfan.designer.published', { type: 'success', messageArgs: { version: record!.version } });
      refresh();
    },
    onError: (err) => setProblems(definitionProblems(err, (elementId) => !!services?.elementRegistry.get(elementId))),
  });
  const onSave = () => {
    setChecked(true);
    if (Object.keys(localProblems).length || !formsValid(forms)) return;
    save.mutate(undefined);
  };
  const markDirty = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setDirty(true);
  };

  const title = record ? pick(record.title, locale) : translate('fangfan.designer.create');
  return (
    <Box sx={{ width: '100%', minWidth: 0, py: 1 }} data-testid="process-designer">
      <Title title={`${translate('fangfan.designer.menu')}：${title}`} />
      <Stack spacing={2}>
        <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="h6" sx={{ mr: 1, wordBreak: 'break-word' }}>
            {title}
          </Typography>
          {record && <Typography variant="body2">{translate('fangfan.designer.version', { version: record.version })}</Typography>}
          {record && <DefinitionStatusChip status={record.status} />}
          <Box sx={{ flex: 1 }} />
          <Button variant="contained" startIcon={save.isPending ? <CircularProgress size={16} /> : <SaveIcon />} disabled={!services || save.isPending} onClick={onSave} data-testid="definition-save">
            {translate(save.isPending ? 'fangfan.designer.saving' : 'fangfan.designer.save')}
          </Button>
          {record?.status === 'draft' && (
            <Button variant="outlined" color="success" startIcon={<PublishIcon />} disabled={dirty || publish.isPending} onClick={() => publish.mutate(undefined)} data-testid="definition-publish">
              {translate('fangfan.designer.publish')}
            </Button>
          )}
        </Stack>
        {record?.status === 'draft' && dirty && <Typography variant="caption" color="text.secondary">{translate('fangfan.designer.publish_unsaved')}</Typography>}
        {importError && <Alert severity="error">{importError}</Alert>}
        {problems && <ProblemList problems={problems} services={services} />}
        {checked && !formsValid(forms) && <Alert severity="warning">{translate('fangfan.designer.forms_invalid')}</Alert>}
        <Card variant="outlined">
          <CardContent>
            <Typography variant="subtitle1" sx={{ mb: 1.5 }}>
              {translate('fangfan.designer.settings')}
            </Typography>
            <DefinitionSettings value={settings} onChange={markDirty(setSettings)} keyFixed={!!record} forms={formChoices} problems={checked ? localProblems : {}} />
          </CardContent>
        </Card>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'stretch', minWidth: 0 }}>
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <BpmnCanvas xml={xml} onReady={setServices} onImportError={setImportError} />
          </Box>
          <Card variant="outlined" sx={{ width: { xs: '100%', md: 340 }, flexShrink: 0 }}>
            <CardContent>
              <Typography variant="subtitle1" sx={{ mb: 1.5 }}>
                {translate('fangfan.designer.panel.title')}
              </Typography>
              {services && <PropertiesPanel key={selected?.id ?? 'none'} services={services} element={selected} forms={formChoices} />}
            </CardContent>
          </Card>
        </Stack>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="subtitle1" sx={{ mb: 1.5 }}>
              {translate('fangfan.designer.forms.title')}
            </Typography>
            <FormDesigner forms={forms} onChange={markDirty(setForms)} />
          </CardContent>
        </Card>
        {record && <Versions definitionKey={record.key} current={record.id} />}
      </Stack>
    </Box>
  );
}
