/**
 * The server's reasons a definition cannot run, beside the diagram: each element it names is outlined
 * (canvas marker) and listed with its name and the reason; a click selects it.
 */
import { useEffect } from 'react';
import { Alert, AlertTitle, Box, Link } from '@mui/material';
import { useTranslate } from 'react-admin';
import { PROBLEM_MARKER, type ModelerServices } from './modelerServices';
import type { DefinitionProblems } from './problems';

/** The server's reason names the element first (「补充材料」须…); beside its name, once is enough. */
const withoutName = (message: string, name: string) => (message.startsWith(`「${name}」`) ? message.slice(name.length + 2) : message);

export function ProblemList({ problems, services }: { problems: DefinitionProblems; services: ModelerServices | undefined }) {
  const translate = useTranslate();
  useEffect(() => {
    if (!services) return;
    const ids = problems.onElements.map((p) => p.elementId).filter((id) => services.elementRegistry.get(id));
    for (const id of ids) services.canvas.addMarker(id, PROBLEM_MARKER);
    return () => {
      for (const id of ids) if (services.elementRegistry.get(id)) services.canvas.removeMarker(id, PROBLEM_MARKER);
    };
  }, [problems, services]);
  const nameOf = (id: string) => {
    const bo = services?.elementRegistry.get(id)?.businessObject;
    return bo?.name || (bo ? translate(`fangfan.designer.kinds.${bo.$type.replace(/^bpmn:(.)/, (_, c: string) => c.toLowerCase())}`, { _: translate('fangfan.designer.kinds.other') }) : id);
  };
  return (
    <Alert severity={problems.refused ? 'warning' : 'error'} role="alert" data-testid="definition-problems">
      <AlertTitle>{translate(problems.refused ? 'fangfan.designer.problems_title' : 'fangfan.form.error')}</AlertTitle>
      {problems.onElements.length > 0 && <Box sx={{ mb: 0.5 }}>{translate('fangfan.designer.problem_list_hint')}</Box>}
      <Box component="ul" sx={{ m: 0, pl: 2, wordBreak: 'break-word' }}>
        {problems.onElements.map((p, i) => (
          <li key={`e${i}`} data-testid="element-problem" data-element={p.elementId}>
            <Link
              component="button"
              type="button"
              onClick={() => {
                const el = services?.elementRegistry.get(p.elementId);
                if (el) services!.selection.select(el);
              }}
            >
              {nameOf(p.elementId)}
            </Link>
            ：{withoutName(p.message, nameOf(p.elementId))}
          </li>
        ))}
        {problems.others.map((m, i) => (
          <li key={`o${i}`}>{m}</li>
        ))}
      </Box>
    </Alert>
  );
}
