/**
 * The bpmn.io modeler (bpmn-js, its watermark kept as its licence asks) with our `ff:` extension
 * (contracts/bpmn/ff-moddle.json) and Chinese palette words. Loaded only with the designer (DesignerPage's
 * dynamic import), so bpmn-js stays out of the console's main bundle.
 */
import { useEffect, useRef } from 'react';
import { Box } from '@mui/material';
import { useLocaleState } from 'react-admin';
import Modeler from 'bpmn-js/lib/Modeler';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './designer.css';
import ff from '../../../contracts/bpmn/ff-moddle.json';
import { translateModule } from './bpmnTranslations';
import type { ModelerServices } from './modelerServices';

export interface BpmnCanvasProps {
  /** The diagram to open (read once, when the canvas mounts). */
  xml: string;
  onReady: (services: ModelerServices) => void;
  onImportError: (message: string) => void;
}

export function BpmnCanvas({ xml, onReady, onImportError }: BpmnCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const [locale] = useLocaleState();
  useEffect(() => {
    const modeler = new Modeler({ container: container.current!, moddleExtensions: { ff }, additionalModules: [translateModule(locale)] });
    let live = true;
    modeler.importXML(xml).then(
      () => {
        if (!live) return;
        const get = <T,>(name: string) => modeler.get<T>(name);
        onReady({
          modeling: get('modeling'),
          moddle: get('moddle'),
          canvas: get('canvas'),
          elementRegistry: get('elementRegistry'),
          eventBus: get('eventBus'),
          selection: get('selection'),
          bpmnReplace: get('bpmnReplace'),
          saveXML: async () => (await modeler.saveXML({ format: true })).xml ?? '',
        });
      },
      (err: Error) => live && onImportError(err.message),
    );
    return () => {
      live = false;
      modeler.destroy();
    };
    // The diagram is read once; the locale is the page's (a language switch re-mounts the page).
  }, []);
  return (
    <Box
      ref={container}
      className="ff-designer-canvas"
      data-testid="bpmn-canvas"
      sx={{ position: 'relative', width: '100%', height: { xs: '55vh', md: '70vh' }, minHeight: 320, overflow: 'hidden', border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: 'background.paper' }}
    />
  );
}
