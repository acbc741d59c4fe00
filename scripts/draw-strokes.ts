/**
 * Draws a stroke image (red foreground strokes, blue background strokes, black elsewhere) from
 * polylines, the way a person would paint them with a round brush. Used to make the bundled
 * example's stroke image reproducibly:
 *
 *   node dist/scripts/draw-strokes.js examples/chelsea.png examples/chelsea-strokes.json examples/chelsea-stroke.png
 */
import { readFile } from 'node:fs/promises';
import { readRgbImage } from '../src/io/read-image.js';
import { encodeColorPng, writeFileAtomic } from '../src/io/write-image.js';

export interface StrokeSpec {
  /** 'foreground' paints red, 'background' paints blue. */
  kind: 'foreground' | 'background';
  /** Brush radius in pixels. */
  radius: number;
  /** Polyline vertices [x, y, x, y, …]. */
  points: number[];
}

/** Rasterises round-brush polylines into an RGB stroke image. */
export function drawStrokes(width: number, height: number, strokes: StrokeSpec[]): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (const stroke of strokes) {
    const color = stroke.kind === 'foreground' ? [255, 0, 0] : [0, 0, 255];
    const { radius, points } = stroke;
    const segments = Math.max(1, points.length / 2 - 1);
    for (let s = 0; s < segments; s++) {
      const x0 = points[2 * s];
      const y0 = points[2 * s + 1];
      const x1 = points[2 * s + 2] ?? x0;
      const y1 = points[2 * s + 3] ?? y0;
      const minX = Math.max(0, Math.floor(Math.min(x0, x1) - radius));
      const maxX = Math.min(width - 1, Math.ceil(Math.max(x0, x1) + radius));
      const minY = Math.max(0, Math.floor(Math.min(y0, y1) - radius));
      const maxY = Math.min(height - 1, Math.ceil(Math.max(y0, y1) + radius));
      const dx = x1 - x0;
      const dy = y1 - y0;
      const lengthSquared = dx * dx + dy * dy;
      for (let y = minY; y <= maxY; y++) {
        for (let x = minX; x <= maxX; x++) {
          const t =
            lengthSquared === 0
              ? 0
              : Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / lengthSquared));
          const px = x0 + t * dx - x;
          const py = y0 + t * dy - y;
          if (px * px + py * py > radius * radius) continue;
          const i = (y * width + x) * 3;
          data[i] = color[0];
          data[i + 1] = color[1];
          data[i + 2] = color[2];
        }
      }
    }
  }
  return data;
}

if (process.argv[1]?.endsWith('draw-strokes.js')) {
  const [imagePath, specPath, outputPath] = process.argv.slice(2);
  if (!imagePath || !specPath || !outputPath) {
    process.stderr.write('usage: draw-strokes IMAGE STROKES.json OUTPUT.png\n');
    process.exit(2);
  }
  const image = await readRgbImage(imagePath);
  const strokes = JSON.parse(await readFile(specPath, 'utf8')) as StrokeSpec[];
  const pixels = drawStrokes(image.width, image.height, strokes);
  await writeFileAtomic(outputPath, await encodeColorPng(pixels, image.width, image.height, 3));
}
