/**
 * Read-only probes for the browser tests and bench/web-latency.ts, as `window.strokecut` (their
 * type, for the tests, is `Probes` in harness.ts).
 */
import type { App } from './app.js';
import { fnv1a } from './session-file.js';

export function installProbes(app: App): void {
  const { session } = app;
  const probes = {
    // (and the latest latency recorded: it is, a frame after the mask is drawn)
    settled: () => app.settled && app.client.measured,
    scheduling: () => ({
      ...app.client.state,
      painting: app.painting,
      image: session.image?.id ?? null,
      mattePending: app.edges.pending,
    }),
    /** Viewport-independent page coordinates of image point (x, y). */
    imageToClient: (x: number, y: number) => app.view.imageToClient({ x, y }),
    image: () =>
      session.image
        ? { name: session.image.name, width: session.image.width, height: session.image.height }
        : null,
    labelAt: (x: number, y: number) => session.layer?.labels[y * session.layer.width + x] ?? null,
    counts: () => (session.layer ? { ...session.layer.counts } : null),
    maskSummary(): { foreground: number; pixels: number; hash: number } | null {
      const mask = session.result?.mask;
      if (!mask) return null;
      let foreground = 0;
      for (let p = 0; p < mask.length; p++) if (mask[p] !== 0) foreground++;
      return { foreground, pixels: mask.length, hash: fnv1a(mask) };
    },
    maskAt: (x: number, y: number) => session.result?.mask[y * (session.image?.width ?? 0) + x] ?? null,
    settings: () => app.settings(),
    softEdges: () => app.edges.settings(),
    mattesComputed: () => app.edges.computed,
    lastMatteMs: () => app.edges.lastMs,
    /** FNV-1a of the decoded RGB bytes, to compare with the CLI's decoder. */
    imageHash: () => (session.image ? fnv1a(session.image.rgb) : null),
    options: () => {
      const { prior, ...rest } = app.segmentOptions();
      return { ...rest, prior: prior ? `${prior.length} bytes` : undefined };
    },
    prompts: () => {
      const prompts = session.prompts;
      return {
        box: prompts?.box ?? null,
        prior: prompts?.prior != null,
        borderBackground: prompts?.borderBackground ?? false,
        borderOffered: !app.ui.borderOffer.hidden,
      };
    },
    message: () => app.status.message,
    latencies: app.client.latencies,
    previewsShown: () => app.previewsShown,
    partialsShown: () => app.partialsShown,
    /** The mask on screen is the preview of the strokes as they stand (while painting). */
    showsCurrentPreview: () => {
      const { image, layer } = session;
      if (!image || !layer) return false;
      return app.client.showsPreviewOf({
        imageId: image.id,
        labels: layer.labels,
        options: app.segmentOptions(),
      });
    },
    /** The worker's time for the last preview of this image (0 before any). */
    previewMs: () => app.client.lastPreviewMs,
    scale: () => app.view.transform.scale,
    /** The browser's copy holds every change so far. */
    stored: () => app.stored,
    workAtRisk: () => app.workAtRisk,
  };
  (window as unknown as { strokecut: typeof probes }).strokecut = probes;
}
