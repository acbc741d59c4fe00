/**
 * The web page: open a photo, paint red (foreground) and blue (background) strokes on it, and watch
 * the cut-out follow. The mask is computed by the same pure core as the CLI, in a Web Worker
 * (worker.ts). This module only puts the parts together:
 *
 *   app.ts            the controller: session, view, status bar, worker client in step
 *   session.ts        the open image, its strokes and history, the mask (no DOM)
 *   view.ts           the layers on screen, zoom and pan (transform.ts), result views (result-views.ts)
 *   input.ts          pointer, wheel and keyboard (tools.ts, shortcuts.ts)
 *   worker-client.ts  requests to the worker, latest-wins (latest-wins.ts), latencies
 *   file-actions.ts   open, import, export (decoding and encoding in files.ts)
 *   controls.ts       the toolbar, drag and drop, paste
 */
import { App } from './app.js';
import { wireControls } from './controls.js';
import { lookUpElements } from './dom.js';
import { importStrokes, openImage } from './file-actions.js';
import { EXAMPLE, fetchExample } from './files.js';
import { Input } from './input.js';
import { installProbes } from './probes.js';
import { DEFAULT_SETTINGS } from './settings.js';

const app = new App(lookUpElements());
new Input(app);
wireControls(app);
app.applySettings(DEFAULT_SETTINGS);
app.setSize(app.size);
app.setTool('foreground');
app.setOverlayOpacity(Number(app.ui.opacity.value));
installProbes(app);

/** The bundled example with its strokes and their cut: the first look shows what the page does. */
async function openExample(): Promise<void> {
  const [image, strokes] = await Promise.all([fetchExample(EXAMPLE.image), fetchExample(EXAMPLE.strokes)]);
  await openImage(app, image, EXAMPLE.image, true);
  await importStrokes(
    app,
    strokes,
    EXAMPLE.strokes,
    'The example: red strokes on the cat, blue on the background, and the cut they give. Paint to change it, or open your own image.',
  );
}

openExample().catch(() =>
  app.status.say('Open an image to start: the button above, drag and drop, or paste.', 'hint'),
);
