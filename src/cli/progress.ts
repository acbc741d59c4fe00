/**
 * A one-line progress bar on stderr for long runs (eval, batch): count, rate and time left.
 * Draws only on a terminal and never in quiet mode, so logs and pipes stay clean.
 */
export interface Progress {
  /** Marks one more item done. */
  tick(label?: string): void;
  /** Clears the line. */
  done(): void;
}

export interface ProgressOptions {
  total: number;
  /** Where to draw: usually process.stderr.write. */
  write: (text: string) => void;
  /** Draw at all? (false when not a TTY or with --quiet) */
  enabled: boolean;
  /** Text before the bar. */
  title?: string;
  /** Width of the bar in characters. Default 24. */
  width?: number;
  /** Clock, for tests. Default performance.now. */
  now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The text of the bar for `done` of `total` items after `elapsedSeconds`. */
export function renderProgress(
  done: number,
  total: number,
  elapsedSeconds: number,
  width = 24,
  title = '',
): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const left = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const prefix = title ? `${title} ` : '';
  return `${prefix}${bar} ${done}/${total} · ${rate.toFixed(rate < 10 ? 2 : 1)}/s · ${done >= total ? 'done' : `${formatDuration(left)} left`}`;
}

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const start = now();
  let done = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  const draw = (force: boolean) => {
    if (!options.enabled) return;
    const t = now();
    if (!force && t - lastDraw < 100) return; // at most ten redraws a second
    lastDraw = t;
    options.write(
      `\r\x1b[2K${renderProgress(done, options.total, (t - start) / 1000, options.width, options.title)}`,
    );
  };
  draw(true);
  return {
    tick() {
      done++;
      draw(done === options.total);
    },
    done() {
      if (options.enabled) options.write('\r\x1b[2K');
    },
  };
}
