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

/** Screen pixels kept free around a diagram shown whole: the palette's column on the left, a margin elsewhere. */
const PALETTE_WIDTH = 110;
const MARGIN = 24;

/**
 * A diagram that does not fit the canvas beside the palette (a saved process on a phone, a long one on a
 * desk, one drawn under the palette) is zoomed out and moved to show it whole, right of the palette; one
 * that fits keeps its natural size and place (a new diagram's start event is not blown up).
 */
function showWhole(canvas: ViewboxCanvas) {
  const { inner, outer } = canvas.viewbox();
  const free = { width: outer.width - PALETTE_WIDTH - MARGIN, height: outer.height - 2 * MARGIN };
  const fits = inner.x >= PALETTE_WIDTH && inner.y >= MARGIN && inner.x + inner.width <= outer.width - MARGIN && inner.y + inner.height <= outer.height - MARGIN;
  if (fits || !inner.width || free.width <= 0 || free.height <= 0) return;
  const scale = Math.min(1, free.width / inner.width, free.height / inner.height);
  canvas.viewbox({ x: inner.x - PALETTE_WIDTH / scale, y: inner.y - MARGIN / scale, width: outer.width / scale, height: outer.height / scale });
}

type Box = { x: number; y: number; width: number; height: number };
/** diagram-js's canvas as showWhole uses it: the diagram's box (`inner`), the screen's (`outer`). */
interface ViewboxCanvas {
  viewbox(box?: Box): { inner: Box; outer: { width: number; height: number } };
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
        showWhole(get<ViewboxCanvas>('canvas'));
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
