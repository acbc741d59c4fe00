/**
 * The cut's settings as the page keeps them, writes them into stroke images and offers them for
 * replay with the CLI. Pure (no DOM), tested in Node.
 */
import { SEGMENT_DEFAULTS } from '../core/segment.js';

export interface Settings {
  /** Colour clusters per model (k-means k), 1–500. */
  k: number;
  /** Smoothing, the graph cut's λ (0 = plain per-pixel classification). */
  smooth: number;
}

export const DEFAULT_SETTINGS: Settings = { k: SEGMENT_DEFAULTS.k, smooth: SEGMENT_DEFAULTS.smooth };

/** The PNG text keyword under which stroke images carry their settings. */
export const SETTINGS_KEYWORD = 'strokecut';

/** What is wrong with `settings`, or null when they are valid. */
export function settingsProblem(settings: { k: unknown; smooth: unknown }): string | null {
  const { k, smooth } = settings;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 500) {
    return `k must be a whole number from 1 to 500; found "${String(k)}".`;
  }
  if (typeof smooth !== 'number' || !Number.isFinite(smooth) || smooth < 0) {
    return `smoothing must be a number of at least 0; found "${String(smooth)}".`;
  }
  return null;
}

/** The settings as a stroke image's text chunk stores them. */
export function settingsText(settings: Settings): string {
  return JSON.stringify({ k: settings.k, smooth: settings.smooth });
}

/** Settings read back from a stroke image's text chunk; null when missing or not valid. */
export function parseSettingsText(text: string | undefined): Settings | null {
  if (text === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { k, smooth } = value as Record<string, unknown>;
  return settingsProblem({ k, smooth }) === null ? { k: k as number, smooth: smooth as number } : null;
}

/** `name` as one shell word (POSIX quoting when it needs any). */
export function shellWord(name: string): string {
  return /^[\w.@%+=:,/-]+$/.test(name) ? name : `'${name.replaceAll("'", "'\\''")}'`;
}

/** The command line that replays `strokes` on `image` with the CLI, settings included. */
export function replayCommand(image: string, strokes: string, settings: Settings): string {
  return `strokecut ${shellWord(image)} ${shellWord(strokes)} -k ${settings.k} --smooth ${settings.smooth}`;
}

/**
 * How the cut-out is shown and exported: with soft edges (an alpha matte and estimated foreground
 * colours, src/core/matte/) or with the binary mask as alpha. The mask itself never changes with
 * them.
 */
export interface SoftEdges {
  soft: boolean;
  /** Half-width of the matte's band in pixels; null = the library's default for the image's size. */
  edgeRadius: number | null;
}

export const DEFAULT_SOFT_EDGES: SoftEdges = { soft: true, edgeRadius: null };

/** The largest edge radius the page offers (the CLI's --edge-radius takes up to 1000). */
export const MAX_EDGE_RADIUS = 1000;

/** Soft-edge settings read back from a session (file or browser store); the defaults when missing or not valid. */
export function parseSoftEdges(value: unknown): SoftEdges {
  if (typeof value !== 'object' || value === null) return { ...DEFAULT_SOFT_EDGES };
  const { soft, edgeRadius } = value as Record<string, unknown>;
  const radiusOk =
    edgeRadius === null ||
    (typeof edgeRadius === 'number' &&
      Number.isInteger(edgeRadius) &&
      edgeRadius >= 1 &&
      edgeRadius <= MAX_EDGE_RADIUS);
  return {
    soft: typeof soft === 'boolean' ? soft : DEFAULT_SOFT_EDGES.soft,
    edgeRadius: radiusOk ? (edgeRadius as number | null) : null,
  };
}
