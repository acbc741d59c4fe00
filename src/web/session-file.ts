/**
 * What a session is when it leaves the page: the strokes as compact run lengths, and the session
 * file (JSON) that holds them with the settings, the image (embedded, or referred to by name, size
 * and pixel hash) and room for later settings. The browser's own copy (persist.ts) stores the same
 * parts. Pure (no DOM), tested in Node.
 *
 * Session file, version 1:
 *
 *   { "format": "strokecut-session", "version": 1,
 *     "image": { "name", "width", "height", "rgbHash", "type"?, "data"? (base64 of the file) },
 *     "strokes": base64 of the labels' runs (see encodeLabels),
 *     "settings": { "k", "smooth" },
 *     "softEdge"?: { "soft", "edgeRadius" } (the cut-out's soft edges; settings.ts parseSoftEdges
 *                  reads it, defaults when missing),
 *     "prompts"?: { "box"?, "borderBackground"?, "prior"? (base64 runs), "priorName"? }
 *                  (prompts.ts readPrompts reads it) }
 */
import { type Settings, settingsProblem } from './settings.js';

export const SESSION_FORMAT = 'strokecut-session';

/** FNV-1a, 32 bits: the session file's image hash (and the tests' probe of decoded pixels). */
export function fnv1a(bytes: Uint8Array): number {
  let hash = 2166136261;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 16777619) >>> 0;
  return hash;
}

/**
 * Labels as runs: for each run of equal labels, its label (one byte) then its length as an
 * unsigned LEB128 varint. Strokes are long runs of 0 with a few painted ones, so a 12-megapixel
 * layer takes kilobytes.
 */
export function encodeLabels(labels: Uint8Array): Uint8Array {
  const out: number[] = [];
  let p = 0;
  while (p < labels.length) {
    const value = labels[p];
    let end = p + 1;
    while (end < labels.length && labels[end] === value) end++;
    out.push(value);
    let run = end - p;
    while (run >= 0x80) {
      out.push((run & 0x7f) | 0x80);
      run = Math.floor(run / 0x80);
    }
    out.push(run);
    p = end;
  }
  return Uint8Array.from(out);
}

/** The labels back from their runs; throws when the runs do not make exactly `length` labels. */
export function decodeLabels(runs: Uint8Array, length: number): Uint8Array {
  const labels = new Uint8Array(length);
  let p = 0;
  let i = 0;
  while (i < runs.length) {
    const value = runs[i++];
    let run = 0;
    let scale = 1;
    for (;;) {
      if (i >= runs.length) throw new Error('the strokes end in the middle of a run');
      const byte = runs[i++];
      run += (byte & 0x7f) * scale;
      scale *= 0x80;
      if (byte < 0x80) break;
    }
    if (p + run > length) throw new Error(`the strokes hold more than the image's ${length} pixels`);
    labels.fill(value, p, p + run);
    p += run;
  }
  if (p !== length) throw new Error(`the strokes hold ${p} pixels; the image has ${length}`);
  return labels;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export interface SessionImageInfo {
  name: string;
  width: number;
  height: number;
  /** FNV-1a of the decoded RGB bytes: tells the image from another of the same name and size. */
  rgbHash: number;
}

export interface SessionFile {
  image: SessionImageInfo & { type?: string; data?: Uint8Array };
  labels: Uint8Array;
  settings: Settings;
  softEdge?: unknown;
  /** The box, border and prior prompts (prompts.ts savePrompts / readPrompts); kept as found here. */
  prompts?: unknown;
}

export function writeSessionFile(session: SessionFile): string {
  const { image, labels, settings, softEdge, prompts } = session;
  const file: Record<string, unknown> = {
    format: SESSION_FORMAT,
    version: 1,
    image: {
      name: image.name,
      width: image.width,
      height: image.height,
      rgbHash: image.rgbHash,
      ...(image.data ? { type: image.type ?? '', data: toBase64(image.data) } : {}),
    },
    strokes: toBase64(encodeLabels(labels)),
    settings: { k: settings.k, smooth: settings.smooth },
  };
  if (softEdge !== undefined) file.softEdge = softEdge;
  if (prompts !== undefined) file.prompts = prompts;
  return `${JSON.stringify(file)}\n`;
}

/** Reads a session file; throws an Error whose message says what was expected and found. */
export function readSessionFile(text: string, name: string): SessionFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`"${name}" is not a session file: it is not JSON.`);
  }
  const file = value as Record<string, unknown> | null;
  if (typeof file !== 'object' || file === null || file.format !== SESSION_FORMAT) {
    throw new Error(`"${name}" is not a session file: expected "format": "${SESSION_FORMAT}".`);
  }
  if (file.version !== 1) {
    throw new Error(
      `"${name}" is a session file of version ${String(file.version)}; this page reads version 1.`,
    );
  }
  const image = file.image as Record<string, unknown> | undefined;
  const { width, height } = image ?? {};
  if (
    !image ||
    typeof image.name !== 'string' ||
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    (width as number) < 1 ||
    (height as number) < 1 ||
    typeof image.rgbHash !== 'number'
  ) {
    throw new Error(`"${name}": the session's "image" needs a name, a width, a height and an rgbHash.`);
  }
  const settings = (file.settings ?? {}) as Record<string, unknown>;
  const problem = settingsProblem({ k: settings.k, smooth: settings.smooth });
  if (problem) throw new Error(`"${name}": in the session's settings, ${problem}`);
  if (typeof file.strokes !== 'string') throw new Error(`"${name}": the session has no "strokes".`);
  let labels: Uint8Array;
  try {
    labels = decodeLabels(fromBase64(file.strokes), (width as number) * (height as number));
  } catch (error) {
    throw new Error(`"${name}": ${error instanceof Error ? error.message : String(error)}.`);
  }
  return {
    image: {
      name: image.name,
      width: width as number,
      height: height as number,
      rgbHash: image.rgbHash,
      ...(typeof image.data === 'string'
        ? { type: typeof image.type === 'string' ? image.type : '', data: fromBase64(image.data) }
        : {}),
    },
    labels,
    settings: { k: settings.k as number, smooth: settings.smooth as number },
    ...(file.softEdge !== undefined ? { softEdge: file.softEdge } : {}),
    ...(file.prompts !== undefined ? { prompts: file.prompts } : {}),
  };
}
