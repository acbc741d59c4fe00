/**
 * The photo + stroke pairs the throughput benches (batch, queue) run on: the bundled example
 * scaled to `megapixels`, in `count` variants (flipped, flopped, brightened) so that no two are
 * the same file, written as NAME.png + NAME-stroke.png into `dir`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function writeExamplePairs(
  dir: string,
  count: number,
  megapixels: number,
): Promise<{ width: number; height: number }> {
  const source = join(ROOT, 'examples/chelsea.png');
  const { width = 0, height = 0 } = await sharp(source).metadata();
  const scale = Math.sqrt((megapixels * 1e6) / (width * height));
  const w = Math.round(width * scale);
  const h = Math.round(height * scale);
  const base = await sharp(source).resize(w, h, { kernel: 'lanczos3' }).png().toBuffer();
  // Nearest neighbour keeps the strokes pure red and blue on black.
  const strokes = await sharp(join(ROOT, 'examples/chelsea-stroke.png'))
    .resize(w, h, { kernel: 'nearest' })
    .png()
    .toBuffer();
  for (let i = 0; i < count; i++) {
    const geometry = (input: Buffer) => {
      let pipeline = sharp(input);
      if (i & 1) pipeline = pipeline.flip();
      if (i & 2) pipeline = pipeline.flop();
      return pipeline;
    };
    const brightness = 0.8 + (0.4 * Math.floor(i / 4)) / Math.max(1, Math.ceil(count / 4));
    const name = `pair${String(i).padStart(3, '0')}`;
    await geometry(base)
      .modulate({ brightness })
      .png({ compressionLevel: 1 })
      .toFile(join(dir, `${name}.png`));
    await geometry(strokes)
      .png()
      .toFile(join(dir, `${name}-stroke.png`));
  }
  return { width: w, height: h };
}
