/**
 * 属性: our own side panel for the selected diagram element (not bpmn-js-properties-panel: it edits BPMN's
 * generic and Camunda's attributes, ours are four `ff:` attributes and a FEEL condition). A user task gets
 * 办理角色, 部门, 办理期限 and 表单; a branch out of an exclusive gateway its 条件 and 默认路径; a service task
 * its 动作; a call activity the program it calls (only the shared 审核程序). Every change goes through modeling.updateProperties (ffAttributes.ts), so it is undoable and saved
 * in the XML.
 */
import { Alert, Button, FormControlLabel, Stack, Switch, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { CALLABLE_ELEMENTS, SERVICE_ACTIONS, TASK_ROLES } from '../../../contracts/bpmn/designed';
import { DEPARTMENTS } from '../../../contracts/roles';
import { roleTitle } from '../common/RoleLabel';
import { CommitTextField } from './CommitTextField';
import { DueRuleInput } from './DueRuleInput';
import {
  calledElementUpdate,
  conditionOf,
  conditionUpdate,
  defaultBranchUpdate,
  elementKind,
  isDefaultBranch,
  readCalledElement,
  readServiceAttributes,
  readTaskAttributes,
  serviceAttributeUpdate,
  taskAttributeUpdate,
} from './ffAttributes';
import type { DiagramElement, ModelerServices } from './modelerServices';

const KINDS = ['startEvent', 'endEvent', 'task', 'userTask', 'serviceTask', 'callActivity', 'exclusiveGateway', 'parallelGateway', 'sequenceFlow', 'intermediateCatchEvent', 'boundaryEvent'];
const kindOf = (type: string) => {
  const local = type.replace(/^bpmn:/, '');
  const name = local.charAt(0).toLowerCase() + local.slice(1);
  return KINDS.includes(name) ? name : 'other';
};
const TASK_TYPES = ['userTask', 'serviceTask', 'callActivity'] as const;

/** An element's id, as conditions name a step (`verify.decision`): a FEEL name. */
export const ELEMENT_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface PropertiesPanelProps {
  services: ModelerServices;
  element: DiagramElement | undefined;
  /** The form keys and names a task may use. */
  forms: { key: string; title: string }[];
}

function Select({ label, value, onChange, choices, testId }: { label: string; value: string | undefined; onChange: (v: string) => void; choices: [string, string][]; testId: string }) {
  const translate = useTranslate();
  return (
    <TextField select size="small" fullWidth label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value)} SelectProps={{ native: true }} InputLabelProps={{ shrink: true }} inputProps={{ 'data-testid': testId }}>
      <option value="">{translate('fangfan.form.select')}</option>
      {choices.map(([id, name]) => (
        <option key={id} value={id}>
          {name}
        </option>
      ))}
    </TextField>
  );
}

export function PropertiesPanel({ services, element, forms }: PropertiesPanelProps) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!element || element.type === 'bpmn:Process' || element.type === 'label') {
    return <Typography variant="body2" color="text.secondary">{translate('fangfan.designer.panel.nothing')}</Typography>;
  }
  const bo = element.businessObject;
  const { modeling } = services;
  const update = (props: Record<string, unknown>) => modeling.updateProperties(element, props);
  const kind = elementKind(bo);
  const isTask = ['bpmn:Task', 'bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:CallActivity'].includes(bo.$type);
  const departments = DEPARTMENTS.map((d) => [d, d] as [string, string]);

  return (
    <Stack spacing={1.5} data-testid="properties-panel">
      <Typography variant="subtitle2">{translate(`fangfan.designer.kinds.${kindOf(bo.$type)}`)}</Typography>
      <CommitTextField key={`name-${bo.id}`} label={translate('fangfan.designer.panel.name')} value={bo.name ?? ''} onCommit={(name) => update({ name: name.trim() || undefined })} inputProps={{ 'data-testid': 'element-name' }} />
      <ElementIdField services={services} element={element} />
      {isTask && (
        <Select
          label={translate('fangfan.designer.panel.task_type')}
          value={TASK_TYPES.find((t) => bo.$type === `bpmn:${t.charAt(0).toUpperCase()}${t.slice(1)}`)}
          onChange={(t) => {
            if (!t) return;
            const replaced = services.bpmnReplace.replaceElement(element, { type: `bpmn:${t.charAt(0).toUpperCase()}${t.slice(1)}` });
            // The review is the only program a call activity may call: chosen at once.
            if (t === 'callActivity' && CALLABLE_ELEMENTS.length === 1) modeling.updateProperties(replaced, calledElementUpdate(CALLABLE_ELEMENTS[0]));
            services.selection.select(replaced);
          }}
          choices={TASK_TYPES.map((t) => [t, translate(`fangfan.designer.task_types.${t}`)])}
          testId="task-type"
        />
      )}
      {kind === 'userTask' && <UserTaskFields key={bo.id} attrs={readTaskAttributes(bo)} update={(p) => update(taskAttributeUpdate(p))} forms={forms} departments={departments} roleName={(r) => roleTitle(r, locale)} />}
      {kind === 'serviceTask' && (
        <>
          <Select
            label={translate('fangfan.designer.panel.action')}
            value={readServiceAttributes(bo).action}
            onChange={(action) => update(serviceAttributeUpdate({ action }))}
            choices={SERVICE_ACTIONS.map((a) => [a, translate(`fangfan.designer.actions.${a}`)])}
            testId="service-action"
          />
          {readServiceAttributes(bo).action === 'notifyDepartment' && (
            <Select label={translate('fangfan.designer.panel.department')} value={readServiceAttributes(bo).department} onChange={(department) => update(serviceAttributeUpdate({ department }))} choices={departments} testId="service-department" />
          )}
        </>
      )}
      {kind === 'callActivity' && (
        <Select
          label={translate('fangfan.designer.panel.called')}
          value={readCalledElement(bo)}
          onChange={(called) => update(calledElementUpdate(called))}
          choices={CALLABLE_ELEMENTS.map((c) => [c, translate(`fangfan.designer.callable.${c}`)])}
          testId="called-element"
        />
      )}
      {kind === 'callActivity' && <Alert severity="info">{translate('fangfan.designer.panel.called_hint')}</Alert>}
      {kind === 'branch' && (
        <>
          <CommitTextField
            key={`cond-${bo.id}-${isDefaultBranch(bo)}`}
            label={translate('fangfan.designer.panel.condition')}
            helperText={translate(isDefaultBranch(bo) ? 'fangfan.designer.panel.condition_default_hint' : 'fangfan.designer.panel.condition_hint')}
            slotProps={{ formHelperText: { disabled: false } /* the field is off, its hint says why: at full contrast (greyed, it fails WCAG's 4.5:1) */ }}
            value={conditionOf(bo)}
            disabled={isDefaultBranch(bo)}
            onCommit={(text) => update(conditionUpdate(services.moddle, text))}
            inputProps={{ 'data-testid': 'branch-condition' }}
          />
          <FormControlLabel
            control={
              <Switch
                checked={isDefaultBranch(bo)}
                onChange={(e) => {
                  const change = defaultBranchUpdate(bo, e.target.checked);
                  const gateway = services.elementRegistry.get(bo.sourceRef!.id);
                  if (change.flow) update(change.flow);
                  if (gateway) modeling.updateProperties(gateway, change.gateway);
                }}
                inputProps={{ 'data-testid': 'branch-default' } as React.InputHTMLAttributes<HTMLInputElement>}
              />
            }
            label={translate('fangfan.designer.panel.default_branch')}
          />
        </>
      )}
      {bo.$type === 'bpmn:ExclusiveGateway' && <BranchList services={services} element={element} />}
      {kind === 'other' && !isTask && bo.$type !== 'bpmn:ExclusiveGateway' && <Alert severity="info">{translate('fangfan.designer.panel.no_settings')}</Alert>}
    </Stack>
  );
}

function UserTaskFields({
  attrs,
  update,
  forms,
  departments,
  roleName,
}: {
  attrs: ReturnType<typeof readTaskAttributes>;
  update: (patch: Parameters<typeof taskAttributeUpdate>[0]) => void;
  forms: { key: string; title: string }[];
  departments: [string, string][];
  roleName: (role: string) => string;
}) {
  const translate = useTranslate();
  return (
    <>
      <Select label={translate('fangfan.designer.panel.role')} value={attrs.role} onChange={(role) => update({ role })} choices={TASK_ROLES.map((r) => [r, roleName(r)])} testId="task-role" />
      {attrs.role === 'department_officer' && (
        <Select label={translate('fangfan.designer.panel.department')} value={attrs.department} onChange={(department) => update({ department })} choices={departments} testId="task-department" />
      )}
      <DueRuleInput value={attrs.due} onChange={(due) => update({ due })} />
      <Select label={translate('fangfan.designer.panel.form')} value={attrs.form} onChange={(form) => update({ form })} choices={forms.map((f) => [f.key, f.title || f.key])} testId="task-form" />
    </>
  );
}

/** 编号: the id a condition uses for a step's form (`verify.decision`); a FEEL name, unique in the diagram. */
function ElementIdField({ services, element }: { services: ModelerServices; element: DiagramElement }) {
  const translate = useTranslate();
  const [problem, setProblem] = useState<string>();
  const id = element.businessObject.id;
  return (
    <CommitTextField
      key={`id-${id}`}
      label={translate('fangfan.designer.panel.id')}
      value={id}
      error={!!problem}
      helperText={problem ?? translate('fangfan.designer.panel.id_hint')}
      inputProps={{ 'data-testid': 'element-id' }}
      onCommit={(next) => {
        const wanted = next.trim();
        if (!ELEMENT_ID_PATTERN.test(wanted)) return setProblem(translate('fangfan.designer.panel.id_invalid'));
        if (wanted !== id && services.elementRegistry.get(wanted)) return setProblem(translate('fangfan.designer.panel.id_taken'));
        setProblem(undefined);
        services.modeling.updateProperties(element, { id: wanted });
      }}
    />
  );
}

/** A gateway's way out, one button per branch (a thin line is hard to hit, on a phone above all): selects the branch to set its condition. */
function BranchList({ services, element }: { services: ModelerServices; element: DiagramElement }) {
  const translate = useTranslate();
  const branches = services.elementRegistry.getAll().filter((e) => e.type === 'bpmn:SequenceFlow' && e.businessObject.sourceRef?.id === element.businessObject.id);
  if (!branches.length) return null;
  return (
    <Stack spacing={0.5} data-testid="gateway-branches">
      <Typography variant="body2" color="text.secondary">
        {translate('fangfan.designer.panel.branches')}
      </Typography>
      {branches.map((b) => {
        const target = (b.businessObject as unknown as { targetRef?: { id: string; name?: string } }).targetRef;
        return (
          <Button key={b.id} size="small" variant="outlined" sx={{ justifyContent: 'flex-start' }} onClick={() => services.selection.select(b)} data-testid="gateway-branch">
            {translate('fangfan.designer.panel.branch_to', { name: target?.name || target?.id || '' })}
          </Button>
        );
      })}
    </Stack>
  );
}
