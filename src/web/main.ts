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
 *   soft-edges.ts     the cut-out's soft edges: their settings, mattes asked of the worker
 *   prompts.ts        the box, prior-mask and border prompts (pure; app.ts applies them)
 *   file-actions.ts   open, import, export (decoding and encoding in files.ts)
 *   controls.ts       the toolbar, drag and drop, paste
 */
import { extractSeeds } from '../core/seeds/extract-seeds.js';
import { App } from './app.js';
import { wireControls } from './controls.js';
import { lookUpElements } from './dom.js';
import { openImage } from './file-actions.js';
import { decode, EXAMPLE, fetchExample } from './files.js';
import { Input } from './input.js';
import { BrowserStore } from './persist.js';
import { installProbes } from './probes.js';
import { readPrompts } from './prompts.js';
import { decodeLabels } from './session-file.js';
import { DEFAULT_SETTINGS, parseSoftEdges } from './settings.js';

const app = new App(lookUpElements());
new Input(app);
wireControls(app);
app.applySettings(DEFAULT_SETTINGS);
app.setSize(app.size);
app.setTool('foreground');
app.setOverlayOpacity(Number(app.ui.opacity.value));
installProbes(app);

const EXAMPLE_MESSAGE =
  'The example: red strokes on the cat, blue on the background, and the cut they give. Paint to change it, or open your own image.';

/** The stored prompts, or none when they no longer read (the strokes are restored anyway). */
function storedPrompts(
  saved: unknown,
  width: number,
  height: number,
): ReturnType<typeof readPrompts> | undefined {
  try {
    return readPrompts(saved, width, height);
  } catch {
    return undefined;
  }
}

/**
 * The session kept in the browser, if there is one; otherwise the bundled example with its
 * strokes and their cut, so the first look shows what the page does.
 */
async function start(): Promise<void> {
  app.store = await BrowserStore.open();
  const stored = await app.store?.load().catch(() => null);
  // An untouched example is opened afresh (with its own greeting) rather than restored.
  if (stored && (stored.state.edited || !stored.image.isExample)) {
    const { image, state } = stored;
    try {
      const opened = await openImage(app, image.file, image.name, {
        isExample: image.isExample,
        restore: {
          labels: decodeLabels(state.strokes, state.width * state.height),
          settings: state.settings,
          softEdges: parseSoftEdges(state.softEdges),
          prompts: storedPrompts(state.prompts, state.width, state.height),
          edited: state.edited,
          message: `Restored "${image.name}" with its strokes and settings from your last visit.`,
        },
      });
      if (opened) return;
    } catch {
      // A stored session that no longer reads: start afresh with the example.
    }
  }
  const [image, strokes] = await Promise.all([fetchExample(EXAMPLE.image), fetchExample(EXAMPLE.strokes)]);
  // The example's own strokes, read before the image opens so that it opens with them and their
  // cut at once, not as an undoable change: the user's work starts after them.
  const decoded = await decode(strokes, EXAMPLE.strokes);
  const { labels } = extractSeeds({
    width: decoded.width,
    height: decoded.height,
    data: new Uint8Array(decoded.rgba.buffer),
  });
  await openImage(app, image, EXAMPLE.image, {
    isExample: true,
    restore: { labels, settings: DEFAULT_SETTINGS, edited: false, message: EXAMPLE_MESSAGE },
  });
}

start().catch(() =>
  app.status.say('Open an image to start: the button above, drag and drop, or paste.', 'hint'),
);
