/**
 * A small PNG encoder and text-chunk reader, for the files the page writes: the mask as the CLI
 * writes it (8-bit greyscale, one channel) and the stroke image with the settings it was made
 * with in a tEXt chunk. Pure (no DOM): the zlib compression is passed in (CompressionStream in the
 * browser, node:zlib in the tests), so this runs and is tested in Node.
 *
 * Rows are stored unfiltered: masks and stroke images are long runs of one value, which deflate
 * handles well without filters, and the encoding stays one pass.
 */

const SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 255) throw new Error(`PNG text must be Latin-1; found U+${code.toString(16)} in "${text}"`);
    out[i] = code;
  }
  return out;
}

export interface PngImage {
  width: number;
  height: number;
  /** 1 grey, 3 RGB, 4 RGBA; 8 bits each. */
  channels: 1 | 3 | 4;
  /** Row-major pixels, `channels` bytes each. */
  data: Uint8Array | Uint8ClampedArray;
}

const COLOUR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/**
 * Encodes `image` as PNG with `texts` as tEXt chunks (keyword → Latin-1 text). `deflate` must
 * produce a zlib stream (RFC 1950), as CompressionStream('deflate') and zlib.deflateSync do.
 */
export async function encodePng(
  image: PngImage,
  deflate: (bytes: Uint8Array) => Promise<Uint8Array>,
  texts: Record<string, string> = {},
): Promise<Uint8Array> {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new Error(`encodePng: expected ${width * height * channels} bytes, found ${data.length}`);
  }
  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, width);
  headerView.setUint32(4, height);
  header[8] = 8;
  header[9] = COLOUR_TYPE[channels];
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const parts = [SIGNATURE, chunk('IHDR', header)];
  for (const [keyword, text] of Object.entries(texts)) {
    if (!/^[\x20-\x7e]{1,79}$/.test(keyword) || keyword !== keyword.trim()) {
      throw new Error(`encodePng: "${keyword}" is not a PNG text keyword`);
    }
    const body = latin1(`${keyword}\0${text}`);
    parts.push(chunk('tEXt', body));
  }
  parts.push(chunk('IDAT', await deflate(raw)), chunk('IEND', new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The tEXt chunks of a PNG file (keyword → text); {} for anything else (a JPEG, a truncated file).
 * Only the chunks before the image data are read: that is where encoders put them, and where
 * encodePng does.
 */
export function readPngTexts(bytes: Uint8Array): Record<string, string> {
  const texts: Record<string, string> = {};
  for (let i = 0; i < SIGNATURE.length; i++) if (bytes[i] !== SIGNATURE[i]) return texts;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = SIGNATURE.length;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > bytes.length || type === 'IDAT' || type === 'IEND') break;
    if (type === 'tEXt') {
      const body = bytes.subarray(offset + 8, offset + 8 + length);
      const zero = body.indexOf(0);
      if (zero > 0) {
        texts[String.fromCharCode(...body.subarray(0, zero))] = String.fromCharCode(
          ...body.subarray(zero + 1),
        );
      }
    }
    offset = end;
  }
  return texts;
}

/** zlib compression in the browser. */
export async function browserDeflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
