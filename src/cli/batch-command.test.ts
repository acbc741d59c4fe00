import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeCocoRle } from '../core/outputs/coco-rle.js';
import { segment } from '../core/segment.js';
import {
  cliPath,
  makeScene,
  rawSharp,
  readPixels,
  runCli,
  tempFolder,
  writeScenePng,
} from '../testing/fixtures.js';
import type { BatchSummary } from './batch-command.js';

const GOOD = ['alpha', 'beta', 'gamma', 'delta'];
let root = '';
let cleanup = async () => {};

/**
 * images/ and strokes/ with four good pairs (two naming styles) and three bad ones: a size
 * mismatch, a corrupt image and an image without strokes.
 */
before(async () => {
  ({ dir: root, cleanup } = await tempFolder('batch'));
  await mkdir(join(root, 'images'));
  await mkdir(join(root, 'strokes'));
  for (const [i, name] of GOOD.entries()) {
    const strokes = i % 2 === 0 ? `${name}-stroke.png` : `${name}.png`;
    await writeScenePng(
      makeScene(60, 45, i + 1),
      join(root, 'images', `${name}.png`),
      join(root, 'strokes', strokes),
    );
  }
  const small = makeScene(40, 30, 9);
  const large = makeScene(60, 45, 9);
  const png = (data: Uint8Array, width: number, height: number, path: string) =>
    rawSharp(data, width, height, 3).png().toFile(join(root, path));
  await png(large.image, 60, 45, 'images/mismatch.png');
  await png(small.strokes, 40, 30, 'strokes/mismatch-stroke.png');
  await writeFile(join(root, 'images', 'corrupt.png'), 'this is not a PNG');
  await png(small.strokes, 40, 30, 'strokes/corrupt-stroke.png');
  await png(small.image, 40, 30, 'images/lonely.png');
});
after(() => cleanup());

function summaryOf(stdout: string): BatchSummary {
  return JSON.parse(stdout) as BatchSummary;
}

const strokesName = (name: string) => (GOOD.indexOf(name) % 2 === 0 ? `${name}-stroke` : name);

test('batch: good pairs complete, bad ones are named in the summary, exit code 2; outputs check out', async () => {
  const run = await runCli(
    [
      'batch',
      'images',
      'strokes',
      '-o',
      'masks',
      '--cutout',
      'cut',
      '--soft',
      'soft',
      '--overlay',
      'look',
      '--hard-edges',
      '-k',
      '6',
      '--jobs',
      '2',
      '--json',
    ],
    root,
  );
  assert.equal(run.code, 2, run.stderr);
  const summary = summaryOf(run.stdout);
  assert.equal(summary.written, 4);
  assert.equal(summary.failed, 3);
  const failures = Object.fromEntries(
    summary.items.filter((i) => i.status === 'failed').map((i) => [i.image, i.error?.code]),
  );
  assert.equal(failures['mismatch.png'], 'SIZE_MISMATCH');
  assert.equal(failures['corrupt.png'], 'INVALID_IMAGE');
  assert.equal(failures['lonely.png'], 'MISSING_STROKES');
  for (const name of ['mismatch.png', 'corrupt.png', 'lonely.png'])
    assert.match(run.stderr, new RegExp(`skipped ${name.replace('.', '\\.')}`));
  assert.ok(!run.stderr.includes('\u001b['), 'no progress bar when stderr is not a terminal');

  // Human summary names the bad pairs too.
  const text = await runCli(
    [
      'batch',
      'images',
      'strokes',
      '-o',
      'masks',
      '--cutout',
      'cut',
      '--soft',
      'soft',
      '--overlay',
      'look',
      '--hard-edges',
      '-k',
      '6',
    ],
    root,
  );
  assert.equal(text.code, 2);
  assert.match(text.stdout, /^Batch: 6 pairs and 1 unpaired file: 0 written, 4 up to date, 3 failed/);
  assert.match(text.stdout, /Failed \(3\):[\s\S]*mismatch\.png \+ mismatch-stroke\.png: SIZE_MISMATCH/);

  for (const [i, name] of GOOD.entries()) {
    const base = strokesName(name);
    const mask = await readPixels(join(root, 'masks', `${base}.png`));
    assert.equal(mask.channels, 1);
    // The batch mask is the library's mask for the same pixels and options.
    const scene = makeScene(60, 45, i + 1);
    const expected = segment(
      { width: 60, height: 45, data: scene.image },
      { width: 60, height: 45, data: scene.strokes },
      { k: 6 },
    );
    assert.deepEqual(mask.data, expected.mask, name);
    const cut = await readPixels(join(root, 'cut', `${base}.png`));
    assert.equal(cut.channels, 4);
    for (let p = 0; p < mask.data.length; p++) {
      assert.equal(cut.data[p * 4 + 3], mask.data[p]);
      assert.equal(cut.data[p * 4], scene.image[p * 3]);
    }
    const soft = await readPixels(join(root, 'soft', `${base}.png`));
    for (let p = 0; p < mask.data.length; p++) assert.equal(soft.data[p] >= 128, mask.data[p] === 255);
    const look = await readPixels(join(root, 'look', `${base}.png`));
    assert.equal(look.channels, 3);
  }
});

test('batch resume: up-to-date pairs are skipped; a newer input, a missing output or --force redoes them; stale temp files are harmless', async () => {
  const args = ['batch', 'images', 'strokes', '-o', 'resume', '--cutout', 'resume-cut', '-k', '6', '--json'];
  let summary = summaryOf((await runCli(args, root)).stdout);
  assert.equal(summary.written, 4);

  // A temp file from a killed writer (dead pid) and a half-written one: neither breaks the rerun.
  await writeFile(join(root, 'resume', '.alpha-stroke.png.999999999.0badf00d.tmp'), 'half a PNG');
  summary = summaryOf((await runCli(args, root)).stdout);
  assert.deepEqual([summary.written, summary.upToDate], [0, 4]);
  assert.ok(
    !(await readdir(join(root, 'resume'))).some((name) => name.endsWith('.tmp')),
    'stale temp file removed',
  );

  const future = new Date(Date.now() + 60_000);
  await utimes(join(root, 'images', 'beta.png'), future, future); // an input edited after the outputs
  await rm(join(root, 'resume-cut', 'gamma-stroke.png')); // one output lost
  summary = summaryOf((await runCli(args, root)).stdout);
  const written = summary.items.filter((i) => i.status === 'written').map((i) => i.image);
  assert.deepEqual(written.sort(), ['beta.png', 'gamma.png']);
  await utimes(join(root, 'images', 'beta.png'), new Date(), new Date());

  summary = summaryOf((await runCli([...args, '--force'], root)).stdout);
  assert.equal(summary.written, 4);
});

test('batch after a killed run: finished outputs are whole and skipped, the rest is done', async () => {
  const { dir, cleanup: done } = await tempFolder('killed');
  try {
    await mkdir(join(dir, 'in'));
    for (let i = 0; i < 8; i++)
      await writeScenePng(
        makeScene(240, 180, 100 + i),
        join(dir, 'in', `p${i}.png`),
        join(dir, 'in', `p${i}-stroke.png`),
      );
    const child = spawn(process.execPath, [cliPath, 'batch', 'in', 'in', '-o', 'out', '--jobs', '1', '-q'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    // Kill it as soon as its first mask lands (if it finishes first, the rerun simply skips all).
    for (let t = 0; t < 2000; t++) {
      const names = await readdir(join(dir, 'out')).catch(() => [] as string[]);
      if (names.some((name) => name.endsWith('.png'))) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    const present = (await readdir(join(dir, 'out'))).filter(
      (name) => name.endsWith('.png') && !name.startsWith('.'),
    );
    assert.ok(present.length >= 1);
    for (const name of present) assert.equal((await readPixels(join(dir, 'out', name))).channels, 1); // whole files
    const rerun = await runCli(['batch', 'in', 'in', '-o', 'out', '--json'], dir);
    assert.equal(rerun.code, 0, rerun.stderr);
    const summary = summaryOf(rerun.stdout);
    assert.equal(summary.upToDate, present.length);
    assert.equal(summary.written, 8 - present.length);
    assert.equal((await readdir(join(dir, 'out'))).filter((name) => name.endsWith('.png')).length, 8);
  } finally {
    await done();
  }
});

test('batch --format coco: one JSON for the batch whose RLE decodes to the mask images; reruns keep it', async () => {
  const coco = ['batch', 'images', 'strokes', '--format', 'coco', '-o', 'coco/all.json', '-k', '6', '--json'];
  const run = await runCli(coco, root);
  assert.equal(run.code, 2);
  const dataset = JSON.parse(await readFile(join(root, 'coco', 'all.json'), 'utf8'));
  assert.deepEqual(
    dataset.images.map((image: { file_name: string }) => image.file_name),
    GOOD.map((name) => `${name}.png`).sort(),
  );
  assert.deepEqual(dataset.categories, [{ id: 1, name: 'foreground', supercategory: 'foreground' }]);
  for (const image of dataset.images) {
    const annotation = dataset.annotations.find((a: { image_id: number }) => a.image_id === image.id);
    const decoded = decodeCocoRle(annotation.segmentation);
    assert.deepEqual([decoded.width, decoded.height], [image.width, image.height]);
    const name = image.file_name.replace('.png', '');
    const mask = await readPixels(join(root, 'masks', `${strokesName(name)}.png`));
    assert.deepEqual(decoded.mask, mask.data, name);
    assert.equal(annotation.area, mask.data.filter((v) => v === 255).length);
  }
  const before = await stat(join(root, 'coco', 'all.json'));
  const again = summaryOf((await runCli(coco, root)).stdout);
  assert.deepEqual([again.written, again.upToDate], [0, 4]);
  assert.equal(await readFile(join(root, 'coco', 'all.json'), 'utf8'), `${JSON.stringify(dataset)}\n`);
  assert.equal(
    (await stat(join(root, 'coco', 'all.json'))).mtimeMs,
    before.mtimeMs,
    'unchanged file not rewritten',
  );
});

test('batch refuses an output folder that is an input folder, and bad --jobs', async () => {
  const run = await runCli(['batch', 'images', 'strokes', '-o', 'strokes'], root);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /is the strokes folder/);
  const jobs = await runCli(['batch', 'images', 'strokes', '--jobs', '0'], root);
  assert.equal(jobs.code, 2);
  assert.match(jobs.stderr, /--jobs must be/);
  const help = await runCli(['batch', '--help'], root);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /NAME-stroke\.\*, NAME-strokes\.\*/);
});
