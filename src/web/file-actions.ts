/**
 * Opening an image, importing a stroke image and exporting the results: files.ts does the decoding
 * and encoding, this module puts the outcome into the session and on screen.
 */
import { extractSeeds } from '../core/seeds/extract-seeds.js';
import type { App } from './app.js';
import {
  baseName,
  canvasOf,
  canvasToPng,
  type Decoded,
  decode,
  downloadBlob,
  failureText,
  PageError,
  tooLarge,
} from './files.js';
import { cutoutToRgba, labelsToRgb, rgbaToRgb, softCutoutToRgba } from './pixels.js';
import { browserDeflate, encodePng, readPngTexts } from './png.js';
import {
  noPrompts,
  type PagePrompts,
  priorFromRgba,
  promptFlags,
  readPrompts,
  savePrompts,
} from './prompts.js';
import type { LoadedImage } from './session.js';
import { fnv1a, readSessionFile, type SessionFile, writeSessionFile } from './session-file.js';
import {
  parseSettingsText,
  parseSoftEdges,
  replayCommand,
  SETTINGS_KEYWORD,
  type Settings,
  type SoftEdges,
  settingsText,
  shellWord,
} from './settings.js';
import { StrokeLayer } from './strokes.js';

export type ExportKind = 'mask' | 'cutout' | 'strokes';

let nextImageId = 1;

function reportFailure(app: App, error: unknown, name: string): void {
  app.status.say(failureText(error, name), 'error');
}

export interface OpenOptions {
  isExample?: boolean;
  /** Strokes and settings to start with (a restored or reopened session), instead of none. */
  restore?: {
    labels: Uint8Array;
    settings: Settings;
    /** Soft-edge settings (kept as they are when not given). */
    softEdges?: SoftEdges;
    /** The box, border and prior prompts (none when not given). */
    prompts?: { prompts: PagePrompts; priorName: string | null };
    edited: boolean;
    message: string;
  };
}

/**
 * Opens an image as a new session. When the current image has the user's strokes it asks first;
 * either way the session it replaces stays one Undo away. Resolves to whether the image opened.
 */
export async function openImage(
  app: App,
  blob: Blob,
  name: string,
  options: OpenOptions = {},
): Promise<boolean> {
  const current = app.session.image;
  if (
    current &&
    app.session.hasWork &&
    !window.confirm(
      `Open "${name}"? Your strokes on "${current.name}" stay in this tab: Undo (Ctrl+Z) goes back to them.`,
    )
  ) {
    app.status.say(`Kept "${current.name}" open.`);
    return false;
  }
  app.status.say(`Opening "${name}"…`);
  let decoded: Decoded;
  let rgb: Uint8Array;
  try {
    decoded = await decode(blob, name);
    rgb = rgbaToRgb(decoded.rgba);
  } catch (error) {
    reportFailure(app, error, name);
    return false;
  }
  const { width, height } = decoded;
  const image: LoadedImage = {
    id: nextImageId++,
    name,
    width,
    height,
    rgb,
    isExample: options.isExample ?? false,
  };
  let layer: StrokeLayer;
  try {
    layer = new StrokeLayer(width, height);
    app.view.setImage(decoded.canvas);
  } catch {
    reportFailure(app, tooLarge(name, width, height), name);
    return false;
  }
  const { restore } = options;
  if (restore) {
    layer.restore(restore.labels);
    app.applySettings(restore.settings);
  }
  const token = `${Date.now().toString(36)}-${image.id}`;
  app.session.open({
    image,
    layer,
    file: blob,
    display: decoded.canvas,
    token,
    edited: restore?.edited ?? false,
    prompts: restore?.prompts?.prompts ?? noPrompts(),
    priorName: restore?.prompts?.priorName ?? null,
  });
  if (restore?.softEdges) app.edges.apply(restore.softEdges);
  app.showCurrent();
  if (restore && !app.session.hint()) app.status.say(restore.message);
  return true;
}

/** The seed labels of a stroke image for `image` (the CLI's stroke extraction). */
export async function readStrokeLabels(
  blob: Blob,
  name: string,
  image: { width: number; height: number },
): Promise<Uint8Array> {
  const decoded = await decode(blob, name);
  if (decoded.width !== image.width || decoded.height !== image.height) {
    throw new PageError(
      `The stroke image "${name}" is ${decoded.width}×${decoded.height} but the image is ${image.width}×${image.height}; a stroke image must be the image's size.`,
    );
  }
  return extractSeeds({
    width: decoded.width,
    height: decoded.height,
    data: new Uint8Array(decoded.rgba.buffer),
  }).labels;
}

/**
 * Replaces the strokes with those of a stroke image (undoably), and takes the settings it carries
 * (the page writes them into the stroke images it exports). `message` replaces the usual report.
 */
export async function importStrokes(app: App, blob: Blob, name: string, message?: string): Promise<void> {
  const { image, layer } = app.session;
  if (!image || !layer) {
    app.status.say('Open an image first, then import its stroke image.', 'hint');
    return;
  }
  try {
    const labels = await readStrokeLabels(blob, name, image);
    const settings = parseSettingsText(
      readPngTexts(new Uint8Array(await blob.slice(0, 1 << 16).arrayBuffer()))[SETTINGS_KEYWORD],
    );
    const rect = layer.replaceAll(labels);
    app.view.drawAllStrokes(layer);
    const { foreground, background } = layer.counts;
    const before = app.settings();
    if (settings) app.applySettings(settings);
    const settingsChanged =
      settings !== null && (settings.k !== before.k || settings.smooth !== before.smooth);
    if (foreground + background === 0) {
      app.status.say(
        `"${name}" has no strokes: a stroke image is red (foreground) and blue (background) on black.`,
        'error',
      );
    } else {
      app.status.say(
        message ??
          `Imported "${name}": ${foreground} foreground and ${background} background stroke pixels` +
            (settings ? `, with its settings (k ${settings.k}, smoothing ${settings.smooth}).` : '.'),
      );
    }
    if (rect || settingsChanged) app.requestMask();
  } catch (error) {
    reportFailure(app, error, name);
  }
}

/** "Load mask…": an existing mask of the image's size becomes the prior (see src/core/prompts/), undoably. */
export async function loadPrior(app: App, blob: Blob, name: string): Promise<void> {
  const { image } = app.session;
  if (!image) {
    app.status.say('Open an image first, then load a mask for it.', 'hint');
    return;
  }
  try {
    const decoded = await decode(blob, name);
    if (decoded.width !== image.width || decoded.height !== image.height) {
      throw new PageError(
        `The mask "${name}" is ${decoded.width}×${decoded.height} but the image is ${image.width}×${image.height}; a mask must be the image's size.`,
      );
    }
    if (app.session.image !== image) return; // another image opened meanwhile
    const prior = priorFromRgba(decoded.rgba, image.width * image.height);
    let foreground = 0;
    for (const v of prior) if (v) foreground++;
    app.setPrior(prior, name);
    if (!app.session.hint()) {
      app.status.say(
        `Loaded the mask "${name}" (${((foreground / prior.length) * 100).toFixed(1)}% foreground): strokes correct it; a region a stroke of the other colour touches is dropped.`,
      );
    }
  } catch (error) {
    reportFailure(app, error, name);
  }
}

export async function exportFile(app: App, kind: ExportKind): Promise<void> {
  const { image, layer } = app.session;
  if (!image || !layer) {
    app.status.say('Open an image first.', 'hint');
    return;
  }
  const base = baseName(image.name);
  try {
    const { width, height } = image;
    if (kind === 'strokes') {
      const { foreground, background } = layer.counts;
      const prompts = app.session.prompts;
      // A box or a prior alone replays with an all-black stroke image and the prompt flags.
      if (foreground + background === 0 && !prompts?.box && !prompts?.prior) {
        app.status.say('There are no strokes to export yet: paint some first.', 'hint');
        return;
      }
      const settings = app.settings();
      const fileName = `${base}-strokes.png`;
      const png = await encodePng(
        { width, height, channels: 3, data: labelsToRgb(layer.labels) },
        browserDeflate,
        { [SETTINGS_KEYWORD]: settingsText(settings) },
      );
      downloadBlob(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), fileName);
      app.markSaved();
      const flags = prompts ? promptFlags(prompts, app.session.current?.priorName ?? 'MASK.png') : [];
      app.status.say(
        `Saved ${fileName}: replay it with ${[replayCommand(image.name, fileName, settings), ...flags.map(shellWord)].join(' ')}`,
      );
      return;
    }
    // Export what the current strokes give, not a result still being computed.
    await app.client.whenSettled();
    const mask = app.session.result?.mask;
    if (!mask) {
      app.status.say(`There is no mask to export yet. ${app.session.hint() ?? ''}`, 'hint');
      return;
    }
    const fileName = `${base}-${kind}.png`;
    if (kind === 'cutout' && app.edges.settings().soft) {
      // Soft edges: the matte's alpha and the estimated foreground colours, as the CLI's --cutout.
      // Encoded here, not through a canvas, whose premultiplied alpha would shift edge colours.
      const soft = await app.edges.forExport();
      if (!soft) {
        app.status.say(`There is no mask to export yet. ${app.session.hint() ?? ''}`, 'hint');
        return;
      }
      const rgba = new Uint8ClampedArray(width * height * 4);
      softCutoutToRgba(soft.foreground, soft.alpha, rgba);
      const png = await encodePng({ width, height, channels: 4, data: rgba }, browserDeflate);
      downloadBlob(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), fileName);
    } else if (kind === 'mask') {
      // The CLI's format: 8-bit greyscale, one channel, 255 foreground and 0 background.
      const png = await encodePng({ width, height, channels: 1, data: mask }, browserDeflate);
      downloadBlob(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), fileName);
    } else {
      const canvas = canvasOf(width, height, (data) => cutoutToRgba(image.rgb, mask, data));
      downloadBlob(await canvasToPng(canvas, fileName), fileName);
    }
    app.status.say(`Saved ${fileName}.`);
  } catch (error) {
    reportFailure(app, error, kind);
  }
}

/** Session files embed the image up to this size; a larger one is referred to by name, size and hash. */
const EMBED_MAX_BYTES = 32 * 1024 * 1024;

/** Saves the session (image, strokes, settings) as a JSON file to reopen later (openSession). */
export function saveSession(app: App): void {
  const current = app.session.current;
  if (!current) {
    app.status.say('Open an image first.', 'hint');
    return;
  }
  const { image, layer, file } = current;
  const embed = file.size <= EMBED_MAX_BYTES;
  void (async () => {
    try {
      const text = writeSessionFile({
        image: {
          name: image.name,
          width: image.width,
          height: image.height,
          rgbHash: fnv1a(image.rgb),
          ...(embed ? { type: file.type, data: new Uint8Array(await file.arrayBuffer()) } : {}),
        },
        labels: layer.labels,
        settings: app.settings(),
        softEdge: app.edges.settings(),
        prompts: savePrompts(current.prompts, current.priorName),
      });
      const fileName = `${baseName(image.name)}.strokecut.json`;
      downloadBlob(new Blob([text], { type: 'application/json' }), fileName);
      app.markSaved();
      app.status.say(
        embed
          ? `Saved ${fileName}: the image, its strokes and the settings. Open it again with Open session….`
          : `Saved ${fileName}: the strokes and the settings, and the image by name (it is too large to embed): open "${image.name}" before the session.`,
      );
    } catch (error) {
      reportFailure(app, error, 'the session');
    }
  })();
}

/**
 * Reopens a session file: its embedded image as a new session, or, when the file only names its
 * image, on the open image if that is the one (same size and pixels).
 */
export async function openSession(app: App, blob: Blob, name: string): Promise<void> {
  let session: SessionFile;
  try {
    session = readSessionFile(await blob.text(), name);
  } catch (error) {
    app.status.say(error instanceof Error ? error.message : String(error), 'error');
    return;
  }
  const { image, labels, settings } = session;
  const softEdges = parseSoftEdges(session.softEdge);
  let prompts: ReturnType<typeof readPrompts>;
  try {
    prompts = readPrompts(session.prompts, image.width, image.height);
  } catch (error) {
    app.status.say(`"${name}": in the session's prompts, ${(error as Error).message}.`, 'error');
    return;
  }
  const message = `Opened the session "${name}": "${image.name}" with its strokes and settings.`;
  if (image.data) {
    const file = new Blob([image.data as Uint8Array<ArrayBuffer>], {
      type: image.type || 'application/octet-stream',
    });
    await openImage(app, file, image.name, {
      restore: { labels, settings, softEdges, prompts, edited: true, message },
    });
    return;
  }
  const open = app.session.image;
  if (
    !open ||
    open.width !== image.width ||
    open.height !== image.height ||
    fnv1a(open.rgb) !== image.rgbHash
  ) {
    app.status.say(
      `The session "${name}" is for "${image.name}" (${image.width}×${image.height}), which it does not embed: open that image first, then the session.`,
      'error',
    );
    return;
  }
  const layer = app.session.layer!;
  app.applySettings(settings);
  app.edges.apply(softEdges);
  app.view.drawStrokes(layer, layer.replaceAll(labels));
  app.restorePrompts(session.prompts);
  app.requestMask();
  if (!app.session.hint()) app.status.say(message);
}
