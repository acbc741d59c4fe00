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
import { cutoutToRgba, labelsToRgb, rgbaToRgb } from './pixels.js';
import { browserDeflate, encodePng, readPngTexts } from './png.js';
import { priorFromRgba, promptFlags } from './prompts.js';
import type { LoadedImage } from './session.js';
import { parseSettingsText, replayCommand, SETTINGS_KEYWORD, settingsText } from './settings.js';
import { StrokeLayer } from './strokes.js';

export type ExportKind = 'mask' | 'cutout' | 'strokes';

let nextImageId = 1;

function reportFailure(app: App, error: unknown, name: string): void {
  app.status.say(failureText(error, name), 'error');
}

export async function openImage(app: App, blob: Blob, name: string, isExample = false): Promise<void> {
  app.status.say(`Opening "${name}"…`);
  let decoded: Decoded;
  let rgb: Uint8Array;
  try {
    decoded = await decode(blob, name);
    rgb = rgbaToRgb(decoded.rgba);
  } catch (error) {
    reportFailure(app, error, name);
    return;
  }
  const { width, height } = decoded;
  const image: LoadedImage = { id: nextImageId++, name, width, height, rgb, isExample };
  let layer: StrokeLayer;
  try {
    layer = new StrokeLayer(width, height);
    app.view.setImage(decoded.canvas);
  } catch {
    reportFailure(app, tooLarge(name, width, height), name);
    return;
  }
  app.session.open(image, layer);
  app.client.setImage(image.id, width, height, rgb);
  app.ui.exampleStrokes.hidden = !isExample;
  app.updateHistoryButtons();
  app.renderResult();
  app.showStats();
  app.view.fit();
  app.status.say(app.session.hint() ?? '', 'hint');
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
    const decoded = await decode(blob, name);
    if (decoded.width !== image.width || decoded.height !== image.height) {
      throw new PageError(
        `The stroke image "${name}" is ${decoded.width}×${decoded.height} but the image is ${image.width}×${image.height}; a stroke image must be the image's size.`,
      );
    }
    const seeds = extractSeeds({
      width: decoded.width,
      height: decoded.height,
      data: new Uint8Array(decoded.rgba.buffer),
    });
    const settings = parseSettingsText(
      readPngTexts(new Uint8Array(await blob.slice(0, 1 << 16).arrayBuffer()))[SETTINGS_KEYWORD],
    );
    const rect = layer.replaceAll(seeds.labels);
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

/** "Load mask…": an existing mask of the image's size becomes the prior (see src/core/prompts/). */
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
    const prior = priorFromRgba(decoded.rgba, image.width * image.height);
    let foreground = 0;
    for (const v of prior) if (v) foreground++;
    app.status.say(
      `Loaded the mask "${name}" (${((foreground / prior.length) * 100).toFixed(1)}% foreground): strokes correct it; a region a stroke of the other colour touches is dropped.`,
    );
    app.setPrior(prior);
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
      if (foreground + background === 0) {
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
      const prompts = promptFlags(app.session.prompts, 'MASK.png').join(' ');
      app.status.say(
        `Saved ${fileName}: replay it with ${replayCommand(image.name, fileName, settings)}${prompts ? ` ${prompts}` : ''}`,
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
    if (kind === 'mask') {
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
