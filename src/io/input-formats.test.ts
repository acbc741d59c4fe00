import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import type { Sharp } from 'sharp';
import { isStrokecutError } from '../core/errors.js';
import { segment } from '../core/segment.js';
import { makeScene, rawSharp } from '../testing/fixtures.js';
import { checkImageSize, DEFAULT_MAX_PIXELS, decodeRgb, decodeStrokes } from './read-image.js';

const W = 64;
const H = 48;
const scene = makeScene(W, H, 21);
const K = { k: 6 };

/** The same pixels as 16 bits per sample (v · 257, so v maps back exactly). */
function widen(data: Uint8Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] * 257;
  return out;
}

function withAlpha(rgb: Uint8Array, alphaOf: (p: number) => number): Uint8Array {
  const out = new Uint8Array((rgb.length / 3) * 4);
  for (let p = 0; p < rgb.length / 3; p++) {
    out.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
    out[p * 4 + 3] = alphaOf(p);
  }
  return out;
}

function rgb16(data: Uint8Array, channels: 3 | 4 = 3): Sharp {
  return rawSharp(widen(data) as unknown as Uint8Array, W, H, channels).toColourspace('rgb16');
}

async function maskOf(imageBytes: Buffer, strokesBytes: Buffer): Promise<Uint8Array> {
  return segment(await decodeRgb(imageBytes), await decodeStrokes(strokesBytes), K).mask;
}

/** Encoders of the twin under test; `exact` when the format is lossless for these pixels. */
const image8 = () => rawSharp(scene.image, W, H, 3);
const strokes8 = () => rawSharp(scene.strokes, W, H, 3);
const blackTransparent = (p: number) => (scene.strokes[p * 3] || scene.strokes[p * 3 + 2] ? 255 : 0);

const VARIANTS: {
  name: string;
  image: () => Promise<Buffer>;
  strokes: () => Promise<Buffer>;
  exact: boolean;
}[] = [
  {
    name: 'PNG 16-bit RGB',
    image: () => rgb16(scene.image).png().toBuffer(),
    strokes: () => rgb16(scene.strokes).png().toBuffer(),
    exact: true,
  },
  {
    name: 'PNG RGBA 8-bit (strokes on a transparent layer)',
    image: () =>
      rawSharp(
        withAlpha(scene.image, () => 255),
        W,
        H,
        4,
      )
        .png()
        .toBuffer(),
    strokes: () => rawSharp(withAlpha(scene.strokes, blackTransparent), W, H, 4).png().toBuffer(),
    exact: true,
  },
  {
    name: 'PNG RGBA 16-bit',
    image: () =>
      rgb16(
        withAlpha(scene.image, () => 255),
        4,
      )
        .png()
        .toBuffer(),
    strokes: () => rgb16(withAlpha(scene.strokes, blackTransparent), 4).png().toBuffer(),
    exact: true,
  },
  {
    name: 'PNG palette',
    image: () => image8().png({ palette: true, colours: 256, dither: 0 }).toBuffer(),
    strokes: () => strokes8().png({ palette: true, colours: 4, dither: 0 }).toBuffer(),
    exact: false,
  },
  {
    name: 'TIFF 8-bit (LZW)',
    image: () => image8().tiff({ compression: 'lzw' }).toBuffer(),
    strokes: () => strokes8().tiff({ compression: 'lzw' }).toBuffer(),
    exact: true,
  },
  {
    name: 'TIFF 16-bit (deflate)',
    image: () => rgb16(scene.image).tiff({ compression: 'deflate' }).toBuffer(),
    strokes: () => rgb16(scene.strokes).tiff({ compression: 'deflate' }).toBuffer(),
    exact: true,
  },
  {
    name: 'TIFF (JPEG-compressed, sharp default)',
    image: () => image8().tiff().toBuffer(),
    strokes: () => strokes8().tiff({ compression: 'lzw' }).toBuffer(),
    exact: false,
  },
  {
    name: 'WebP lossless',
    image: () => image8().webp({ lossless: true }).toBuffer(),
    strokes: () => strokes8().webp({ lossless: true }).toBuffer(),
    exact: true,
  },
  {
    name: 'WebP lossy',
    image: () => image8().webp({ quality: 80 }).toBuffer(),
    strokes: () => strokes8().webp({ quality: 90 }).toBuffer(),
    exact: false,
  },
  {
    name: 'JPEG',
    image: () => image8().jpeg({ quality: 85 }).toBuffer(),
    strokes: () => strokes8().jpeg({ quality: 95 }).toBuffer(),
    exact: false,
  },
];

test('every input format and bit depth gives the same pixels and mask as its PNG twin', async () => {
  const referenceMask = segment(
    { width: W, height: H, data: scene.image },
    { width: W, height: H, data: scene.strokes },
    K,
  ).mask;
  for (const variant of VARIANTS) {
    const [imageBytes, strokesBytes] = await Promise.all([variant.image(), variant.strokes()]);
    const image = await decodeRgb(imageBytes);
    assert.deepEqual([image.width, image.height, image.data.length], [W, H, W * H * 3], variant.name);
    let twinImage: Buffer;
    let twinStrokes: Buffer;
    if (variant.exact) {
      assert.deepEqual(image.data, scene.image, `${variant.name}: decoded pixels`);
      twinImage = await image8().png().toBuffer();
      twinStrokes = await strokes8().png().toBuffer();
    } else {
      // Lossy: the twin is a PNG of the pixels a plain decoder gets from the file.
      const plain = async (bytes: Buffer) => {
        const { data, info } = await rawSharpFrom(bytes);
        return rawSharp(new Uint8Array(data), info.width, info.height, info.channels as 3 | 4)
          .png()
          .toBuffer();
      };
      twinImage = await plain(imageBytes);
      twinStrokes = await plain(strokesBytes);
    }
    const mask = await maskOf(imageBytes, strokesBytes);
    assert.deepEqual(
      mask,
      await maskOf(twinImage, twinStrokes),
      `${variant.name}: mask equals the PNG twin's`,
    );
    if (variant.exact)
      assert.deepEqual(mask, referenceMask, `${variant.name}: mask equals the 8-bit original's`);
  }
});

async function rawSharpFrom(bytes: Buffer) {
  const { default: sharpModule } = await import('sharp');
  return sharpModule(bytes).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
}

test('grey images (8- and 16-bit, with or without alpha) decode to R = G = B', async () => {
  const grey = new Uint8Array(W * H);
  for (let p = 0; p < grey.length; p++)
    grey[p] = Math.round((scene.image[p * 3] + scene.image[p * 3 + 1] + scene.image[p * 3 + 2]) / 3);
  const expected = new Uint8Array(W * H * 3);
  for (let p = 0; p < grey.length; p++) expected.fill(grey[p], p * 3, p * 3 + 3);
  const greyAlpha = new Uint8Array(W * H * 2);
  for (let p = 0; p < grey.length; p++) {
    greyAlpha[p * 2] = grey[p];
    greyAlpha[p * 2 + 1] = 255;
  }
  const files = {
    'grey 8-bit PNG': await rawSharp(grey, W, H, 1).toColourspace('b-w').png().toBuffer(),
    'grey 16-bit PNG': await rawSharp(widen(grey) as unknown as Uint8Array, W, H, 1)
      .toColourspace('grey16')
      .png()
      .toBuffer(),
    'grey + alpha PNG': await rawSharp(greyAlpha, W, H, 2).toColourspace('b-w').png().toBuffer(),
    'grey 16-bit TIFF': await rawSharp(widen(grey) as unknown as Uint8Array, W, H, 1)
      .toColourspace('grey16')
      .tiff({ compression: 'deflate' })
      .toBuffer(),
  };
  for (const [name, bytes] of Object.entries(files)) {
    const decoded = await decodeRgb(bytes);
    assert.deepEqual(decoded.data, expected, name);
  }
});

/**
 * Stored pixels for EXIF orientation `o`: the upright picture transformed so that a viewer applying
 * the tag shows it upright again. (x, y) is a pixel of the upright W×H picture.
 */
function storedFor(o: number, upright: Uint8Array, width: number, height: number) {
  const swap = o >= 5;
  const sw = swap ? height : width;
  const sh = swap ? width : height;
  const out = new Uint8Array(upright.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = [
        [x, y],
        [width - 1 - x, y],
        [width - 1 - x, height - 1 - y],
        [x, height - 1 - y],
        [y, x],
        [y, width - 1 - x], // 6: shown turned 90° clockwise
        [height - 1 - y, width - 1 - x],
        [height - 1 - y, x], // 8: shown turned 90° anticlockwise
      ][o - 1];
      out.set(upright.subarray((y * width + x) * 3, (y * width + x) * 3 + 3), (sy * sw + sx) * 3);
    }
  }
  return { data: out, width: sw, height: sh };
}

test('EXIF orientation 1–8 is honoured the same way for the image and the strokes (PNG, WebP, TIFF, JPEG)', async () => {
  const upright = segment(
    { width: W, height: H, data: scene.image },
    { width: W, height: H, data: scene.strokes },
    K,
  ).mask;
  for (let o = 1; o <= 8; o++) {
    const image = storedFor(o, scene.image, W, H);
    const strokes = storedFor(o, scene.strokes, W, H);
    for (const format of ['png', 'webp', 'tiff'] as const) {
      const encode = (s: typeof image) => {
        const pipeline = rawSharp(s.data, s.width, s.height, 3).withMetadata({ orientation: o });
        return (
          format === 'png'
            ? pipeline.png()
            : format === 'webp'
              ? pipeline.webp({ lossless: true })
              : pipeline.tiff({ compression: 'lzw' })
        ).toBuffer();
      };
      const decoded = await decodeRgb(await encode(image));
      assert.deepEqual([decoded.width, decoded.height], [W, H], `orientation ${o}, ${format}`);
      assert.deepEqual(decoded.data, scene.image, `orientation ${o}, ${format}: upright pixels`);
      const mask = await maskOf(await encode(image), await encode(strokes));
      assert.deepEqual(mask, upright, `orientation ${o}, ${format}: mask`);
    }
    // A phone JPEG with an orientation tag, strokes drawn over its upright view and saved without one.
    const jpeg = await rawSharp(image.data, image.width, image.height, 3)
      .withMetadata({ orientation: o })
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const decoded = await decodeRgb(jpeg);
    assert.deepEqual([decoded.width, decoded.height], [W, H], `orientation ${o}, jpeg`);
    const strokesPng = await rawSharp(scene.strokes, W, H, 3).png().toBuffer();
    assert.equal(segment(decoded, await decodeStrokes(strokesPng), K).mask.length, W * H);
  }
});

/** A PNG that claims width × height in its header, with no real pixel data behind it. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('too-large images fail early, from the header, with a message naming the limit', async () => {
  const huge = pngHeaderOnly(20_000, 10_000); // 200 MP claimed, a few bytes long
  const t0 = performance.now();
  await assert.rejects(decodeRgb(huge, 'huge.png'), (error: unknown) => {
    assert.ok(isStrokecutError(error));
    assert.equal(error.code, 'IMAGE_TOO_LARGE');
    assert.match(
      error.message,
      /"huge\.png" is 20000×10000 = 200 megapixels, above the limit of 100 megapixels/,
    );
    assert.match(error.message, /--max-megapixels/);
    return true;
  });
  assert.ok(performance.now() - t0 < 5000); // (not a benchmark: only "did not try to decode 200 MP")
  assert.equal(DEFAULT_MAX_PIXELS, 100_000_000);
  // Just under the limit passes the header check (decoding this fake would then fail, as it should).
  assert.deepEqual(await checkImageSize(pngHeaderOnly(10_000, 10_000), 'edge.png', 'image'), {
    width: 10_000,
    height: 10_000,
  });
  // A custom limit applies to real images, strokes included.
  const png = await rawSharp(scene.strokes, W, H, 3).png().toBuffer();
  await assert.rejects(
    decodeStrokes(png, 's.png', { maxPixels: 3000 }),
    /64×48 = 0\.0031 megapixels, above the limit of 0\.0030 megapixels/,
  );
  assert.equal((await decodeStrokes(png, 's.png', { maxPixels: W * H })).width, W);
});
