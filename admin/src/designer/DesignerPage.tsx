/**
 * The designer's routes (a new definition at /process-definitions/create, a saved one at
 * /process-definitions/:id/show). The editor is a dynamic import: bpmn-js and its styles load only when
 * an administrator opens the designer, not with the console everyone uses.
 */
import { lazy, Suspense } from 'react';
import { Loading } from 'react-admin';
import { useParams } from 'react-router-dom';

const DesignerEditor = lazy(() => import('./DesignerEditor'));

export function DesignerCreate() {
  return (
    <Suspense fallback={<Loading loadingSecondary="fangfan.designer.loading" />}>
      <DesignerEditor />
    </Suspense>
  );
}

export function DesignerShow() {
  const { id } = useParams<{ id: string }>();
  return (
    <Suspense fallback={<Loading loadingSecondary="fangfan.designer.loading" />}>
      <DesignerEditor id={id} />
    </Suspense>
  );
}
