/**
 * Issue #13: `strokecut eval` checks its truth masks (grey, values 0 / 128 / 255), scores the
 * other images when one is bad, lists the failures and exits 2. Through the real CLI.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeScene, rawSharp, tempFolder, writeScenePng } from '../testing/fixtures.js';
import { runCliWith } from '../testing/reliability.js';

let work: { dir: string; cleanup: () => Promise<void> };
const W = 64;
const H = 48;

/** The scene's truth: its ellipse (the makeScene rule), 128 on a band along its outline. */
function truthOf(seed: number): Uint8Array {
  const scene = makeScene(W, H, seed);
  const truth = new Uint8Array(W * H);
  for (let p = 0; p < W * H; p++) {
    const [r, , b] = scene.image.subarray(p * 3, p * 3 + 3);
    truth[p] = r > b + 40 ? 255 : b > r + 40 ? 0 : 128;
  }
  return truth;
}

before(async () => {
  work = await tempFolder('eval-truth');
  for (const folder of ['images', 'strokes', 'truth']) mkdirSync(join(work.dir, folder));
  const names = ['grey1', 'greyrgb', 'photo', 'jpeg', 'twice'];
  for (const [i, name] of names.entries()) {
    const scene = makeScene(W, H, i + 1);
    await writeScenePng(
      scene,
      join(work.dir, 'images', `${name}.png`),
      join(work.dir, 'strokes', `${name}.png`),
    );
    const truth = truthOf(i + 1);
    const truthPath = join(work.dir, 'truth', `${name}.png`);
    if (name === 'grey1' || name === 'twice') await rawSharp(truth, W, H, 1).png().toFile(truthPath);
    if (name === 'greyrgb') {
      const rgb = new Uint8Array(W * H * 3);
      for (let p = 0; p < W * H; p++) rgb.fill(truth[p], p * 3, p * 3 + 3);
      await rawSharp(rgb, W, H, 3).png().toFile(truthPath);
    }
    if (name === 'photo') await rawSharp(scene.image, W, H, 3).png().toFile(truthPath);
    if (name === 'jpeg')
      await rawSharp(truth, W, H, 1)
        .jpeg()
        .toFile(join(work.dir, 'truth', 'jpeg.jpg'));
    if (name === 'twice')
      await rawSharp(truth, W, H, 1)
        .webp({ lossless: true })
        .toFile(join(work.dir, 'truth', 'twice.webp'));
  }
});
after(() => work.cleanup());

const ARGS = ['eval', '--images', 'images', '--strokes', 'strokes', '--truth', 'truth', '-k', '8'];

test('bad truth files are per-image errors; the rest is scored; exit 2 (JSON)', async () => {
  const run = await runCliWith([...ARGS, '--json'], work.dir);
  assert.equal(run.code, 2, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(
    report.images.map((row: { name: string }) => row.name),
    ['grey1', 'greyrgb'],
  );
  for (const row of report.images) assert.ok(row.iou > 0.5, `${row.name}: IoU ${row.iou}`);
  const failed = Object.fromEntries(
    report.failed.map((f: { name: string; code: string; message: string }) => [f.name, f]),
  );
  assert.deepEqual(Object.keys(failed).sort(), ['jpeg', 'photo', 'twice']);
  assert.equal(failed.photo.code, 'INVALID_TRUTH');
  assert.match(failed.photo.message, /The truth mask ".*photo\.png" is in colour \(pixel \(0, 0\) is/);
  assert.equal(failed.jpeg.code, 'INVALID_TRUTH');
  assert.match(failed.jpeg.message, /jpeg\.jpg" has \d+ of 3072 pixels that are not 0, 128 or 255/);
  assert.equal(failed.twice.code, 'AMBIGUOUS_PAIR');
  assert.match(
    failed.twice.message,
    /has 2 truth files of its base name .*\(twice\.png, twice\.webp\); keep one/,
  );
  for (const failure of report.failed) assert.doesNotMatch(failure.message, /\n/);
  // Each failure is told on stderr as it happens, one line each.
  assert.equal(run.stderr.trim().split('\n').length, 3, run.stderr);
});

test('the table lists the failures below the mean', async () => {
  const run = await runCliWith(ARGS, work.dir);
  assert.equal(run.code, 2);
  assert.match(run.stdout, /\| \*\*mean of 2\*\* \|/);
  assert.match(
    run.stdout,
    /Failed \(3, not in the mean\):\n {2}twice: AMBIGUOUS_PAIR: .*\n {2}jpeg: INVALID_TRUTH: .*\n {2}photo: INVALID_TRUTH: /,
  );
});
