/**
 * Issue #13: a bounded, seeded fuzz of the decoders and the stroke parser through the real CLI.
 * Photos and stroke images in PNG, JPEG and WebP are mutated (bits flipped, bytes overwritten,
 * truncated, chunks repeated, header sizes patched, random pixels): 320 pairs through one batch
 * process (many inputs per process keeps it to seconds), and a few through single runs. Every run
 * must exit 0 or 2, say each failure in one line, write nothing for a failed pair (and keep an
 * existing output), and finish within its time limit.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createRandom } from '../core/random.js';
import { cliPath, makeScene, rawSharp, tempFolder } from '../testing/fixtures.js';

const SEED = 1313;
const PAIRS = 320;
const W = 48;
const H = 36;
const FORMATS = ['png', 'jpg', 'webp'] as const;
type Format = (typeof FORMATS)[number];

let work: { dir: string; cleanup: () => Promise<void> };
const originals: { image: Record<Format, Buffer>; strokes: Record<Format, Buffer> } = {
  image: {} as Record<Format, Buffer>,
  strokes: {} as Record<Format, Buffer>,
};

async function encode(pixels: Uint8Array, format: Format, lossless: boolean): Promise<Buffer> {
  const raw = rawSharp(pixels, W, H, 3);
  if (format === 'png') return raw.png().toBuffer();
  if (format === 'jpg') return raw.jpeg({ quality: 95 }).toBuffer();
  return raw.webp(lossless ? { lossless: true } : { quality: 90 }).toBuffer();
}

/** One seeded mutation of `bytes` (never the identity: at least one byte differs or goes). */
function mutate(bytes: Buffer, random: () => number, kind: number): Buffer {
  const out = Buffer.from(bytes);
  const at = () => Math.floor(random() * out.length);
  switch (kind % 6) {
    case 0: // flip 1–8 bits anywhere
      for (let n = 1 + Math.floor(random() * 8); n > 0; n--) out[at()] ^= 1 << Math.floor(random() * 8);
      return out;
    case 1: // overwrite a run of random bytes
      for (let i = at(), n = 1 + Math.floor(random() * 32); n > 0 && i < out.length; n--, i++)
        out[i] = Math.floor(random() * 256);
      return out;
    case 2: // truncate
      return out.subarray(0, Math.floor(random() * (out.length - 1)));
    case 3: {
      // repeat a chunk of the file in the middle
      const start = at();
      const chunk = out.subarray(start, Math.min(out.length, start + 1 + Math.floor(random() * 64)));
      const where = at();
      return Buffer.concat([out.subarray(0, where), chunk, out.subarray(where)]);
    }
    case 4: // patch the header's region (sizes, chunk lengths, markers)
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--)
        out[Math.floor(random() * Math.min(40, out.length))] = Math.floor(random() * 256);
      return out;
    default: // zero a range
      out.fill(0, at(), Math.min(out.length, at() + 16));
      return out;
  }
}

before(async () => {
  work = await tempFolder('fuzz');
  const scene = makeScene(W, H, 7);
  for (const format of FORMATS) {
    originals.image[format] = await encode(scene.image, format, false);
    originals.strokes[format] = await encode(scene.strokes, format, true);
  }
  const random = createRandom(SEED);
  mkdirSync(join(work.dir, 'images'));
  mkdirSync(join(work.dir, 'strokes'));
  for (let i = 0; i < PAIRS; i++) {
    const imageFormat = FORMATS[i % 3];
    const strokesFormat = FORMATS[Math.floor(i / 3) % 3];
    let image: Buffer = originals.image[imageFormat];
    let strokes: Buffer = originals.strokes[strokesFormat];
    const which = i % 8;
    if (which < 4) image = mutate(image, random, i >> 3);
    else if (which < 7) strokes = mutate(strokes, random, i >> 3);
    else {
      // A valid stroke image of random colours: the stroke parser on anything at all.
      const noise = new Uint8Array(W * H * 3);
      for (let p = 0; p < noise.length; p++) noise[p] = random() < 0.9 ? 0 : Math.floor(random() * 256);
      strokes = await encode(noise, strokesFormat, true);
    }
    const name = `f${String(i).padStart(3, '0')}`;
    writeFileSync(join(work.dir, 'images', `${name}.${imageFormat}`), image);
    writeFileSync(join(work.dir, 'strokes', `${name}.${strokesFormat}`), strokes);
  }
});
after(() => work.cleanup());

/** Runs the CLI; kills it (and fails) after `limitMs`. */
function runBounded(
  args: string[],
  limitMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: work.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, timedOut });
    });
  });
}

interface Item {
  image: string;
  strokes: string;
  status: string;
  outputs?: string[];
  error?: { code: string; message: string };
}

test(`${PAIRS} mutated PNG/JPEG/WebP pairs through one batch: exit 0 or 2, one-line errors, nothing written for a failure`, async (t) => {
  const run = await runBounded(
    ['batch', 'images', 'strokes', '-o', 'out', '--json', '-k', '4', '--iterations', '2'],
    240_000,
  );
  assert.equal(run.timedOut, false, 'the batch hung');
  assert.ok(run.code === 0 || run.code === 2, `exit ${run.code}: ${run.stderr.slice(0, 2000)}`);
  const summary = JSON.parse(run.stdout) as { pairs: number; failed: number; written: number; items: Item[] };
  assert.equal(summary.pairs, PAIRS);
  const outputs = new Set(readdirSync(join(work.dir, 'out')));
  const codes = new Map<string, number>();
  for (const item of summary.items) {
    const output = `${item.strokes.replace(/\.[^.]+$/, '')}.png`;
    if (item.status === 'failed') {
      assert.ok(item.error, item.image);
      codes.set(item.error.code, (codes.get(item.error.code) ?? 0) + 1);
      assert.notEqual(item.error.code, 'UNEXPECTED', `${item.image}: ${item.error.message}`);
      assert.doesNotMatch(item.error.message, /[\r\n]/, `${item.image}: a message of several lines`);
      assert.ok(item.error.message.length < 600, `${item.image}: ${item.error.message.length} characters`);
      assert.equal(outputs.has(output), false, `${output} written for a failed pair`);
    } else {
      assert.equal(item.status, 'written');
      assert.ok(outputs.has(output), `${output} missing`);
      const meta = await sharp(join(work.dir, 'out', output)).metadata();
      assert.deepEqual([meta.width, meta.height, meta.channels], [W, H, 1], output);
    }
  }
  // Every line the batch printed on stderr is one failure, told once.
  const lines = run.stderr.split('\n').filter((line) => line.length > 0);
  assert.equal(lines.length, summary.failed, run.stderr.slice(0, 2000));
  for (const line of lines) assert.match(line, /^strokecut: skipped f\d{3}\.\w+ \+ f\d{3}\.\w+: [A-Z_]+: /);
  assert.equal(outputs.size, summary.written, 'files in the output folder besides the masks (temporaries?)');
  t.diagnostic(`written ${summary.written}, failed ${summary.failed}: ${JSON.stringify([...codes])}`);
  // The mutations really exercised both outcomes and several decoders' errors.
  assert.ok(summary.written > 20 && summary.failed > 50, JSON.stringify([...codes]));
  assert.ok((codes.get('INVALID_IMAGE') ?? 0) > 20, JSON.stringify([...codes]));
});

test('mutated files through single runs: exit 0 or 2, at most one line, an existing output kept on failure', async () => {
  const names = readdirSync(join(work.dir, 'images')).sort().slice(0, 8);
  const strokes = readdirSync(join(work.dir, 'strokes')).sort();
  let failures = 0;
  for (let i = 0; i < names.length; i += 2) {
    const runs = names.slice(i, i + 2).map(async (image, j) => {
      const stroke = strokes.find((name) => name.startsWith(image.replace(/\.[^.]+$/, '.'))) as string;
      const target = join(work.dir, `single-${i + j}.png`);
      writeFileSync(target, 'old');
      const run = await runBounded([`images/${image}`, `strokes/${stroke}`, '-o', target, '-k', '4'], 60_000);
      assert.equal(run.timedOut, false, `${image} hung`);
      assert.ok(run.code === 0 || run.code === 2, `${image}: exit ${run.code}: ${run.stderr}`);
      const lines = run.stderr.split('\n').filter((line) => line.length > 0);
      if (run.code === 2) {
        failures++;
        assert.equal(lines.length, 1, `${image}: ${run.stderr}`);
        assert.equal(readFileSync(target, 'utf8'), 'old', `${image}: the old output was replaced`);
      } else {
        assert.ok(existsSync(target));
        assert.notEqual(readFileSync(target, 'utf8'), 'old');
      }
    });
    await Promise.all(runs);
  }
  assert.ok(failures > 0, 'no mutated file failed: the mutations are too gentle');
});
