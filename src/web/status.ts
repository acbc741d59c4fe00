/**
 * What the status bar says: hints about missing strokes, the image and mask figures, messages.
 * The wording is pure (tested in Node); StatusBar only puts it on the page.
 */
import type { SegmentStats } from '../core/segment.js';
import type { SeedCounts } from './strokes.js';

export type MessageKind = 'info' | 'hint' | 'error';

/** What the strokes still lack for a cut, or null when they can give one. */
export function strokeHint(counts: SeedCounts): string | null {
  if (counts.foreground === 0 && counts.background === 0) {
    return 'Paint red over the object (F) and blue over what to cut away (B).';
  }
  if (counts.background === 0)
    return 'Add a background stroke (blue, B): the cut needs both kinds of stroke.';
  if (counts.foreground === 0) return 'Add a foreground stroke (red, F): the cut needs both kinds of stroke.';
  return null;
}

/** The right-hand figures: image name and size, and the mask's share and timings once there is one. */
export function statsText(
  image: { name: string; width: number; height: number } | null,
  result: { stats: SegmentStats; computeMs: number } | null,
): string {
  if (!image) return '';
  const parts = [`${image.name} · ${image.width}×${image.height}`];
  if (result) {
    const t = result.stats.timings;
    parts.push(
      `${(result.stats.foregroundFraction * 100).toFixed(1)}% foreground`,
      `mask in ${Math.round(result.computeMs)} ms (seeds ${Math.round(t.seeds)}, k-means ${Math.round(t.kmeans)}, ${t.refine > 0 ? `graph cuts ${Math.round(t.refine)}` : `classify ${Math.round(t.classify)}`})`,
    );
  }
  return parts.join(' · ');
}

export class StatusBar {
  constructor(
    private readonly messageElement: HTMLElement,
    private readonly statsElement: HTMLElement,
  ) {}

  say(text: string, kind: MessageKind = 'info'): void {
    this.messageElement.textContent = text;
    this.messageElement.className = kind;
  }

  /** Clears a hint or an error (made moot by a mask) but keeps information ("imported…", "saved…"). */
  clearUnlessInfo(): void {
    if (this.messageElement.className !== 'info') this.say('');
  }

  get message(): { text: string; kind: string } {
    return { text: this.messageElement.textContent ?? '', kind: this.messageElement.className };
  }

  showStats(text: string): void {
    this.statsElement.textContent = text;
  }
}

/**
 * A worker error as the page says it: the core's text (what it expected and found) with the hint
 * in the page's terms; the core names no CLI flag or button.
 */
export function errorText(code: string, message: string): string {
  if (code === 'UNEXPECTED') return `Unexpected error (please report it): ${message}`;
  if (code === 'NO_FOREGROUND_SEEDS')
    return `${message} Paint over the object with the foreground brush (F).`;
  if (code === 'NO_BACKGROUND_SEEDS')
    return `${message} Paint over what to cut away with the background brush (B).`;
  return message;
}
