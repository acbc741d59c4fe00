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
