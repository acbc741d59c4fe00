/**
 * Issue #13, batches through the real CLI: output folders compared with input folders as real
 * folders, a COCO batch that resumes from its journal after kill -9, and a lock per output folder.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cliPath, makeScene, tempFolder, writeScenePng } from '../testing/fixtures.js';
import { assertOneLineFailure, deadPid, runCliWith } from '../testing/reliability.js';

let work: { dir: string; cleanup: () => Promise<void> };
const PAIRS = 8;

before(async () => {
  work = await tempFolder('batch-safety');
  mkdirSync(join(work.dir, 'images'));
  mkdirSync(join(work.dir, 'strokes'));
  for (let i = 0; i < PAIRS; i++) {
    await writeScenePng(
      makeScene(200, 150, 20 + i),
      join(work.dir, 'images', `p${i}.png`),
      join(work.dir, 'strokes', `p${i}.png`),
    );
  }
});
after(() => work.cleanup());

function snapshot(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((name) => `${name}:${readFileSync(join(dir, name)).toString('base64')}`)
    .join('\n');
}

/** Polls until `check` is true (or fails after `ms`). */
async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((done) => setTimeout(done, 10));
  }
}

test('an output folder that is an input folder through a link is refused', async () => {
  const images = snapshot(join(work.dir, 'images'));
  symlinkSync('images', join(work.dir, 'to-images'));
  symlinkSync('strokes', join(work.dir, 'to-strokes'));
  assertOneLineFailure(
    await runCliWith(['batch', 'images', 'strokes', '-o', 'to-images'], work.dir),
    /The mask folder "to-images" is the images folder; give each output its own folder/,
  );
  assertOneLineFailure(
    await runCliWith(['batch', 'images', 'strokes', '--cutout', 'to-strokes/.', '--quiet'], work.dir),
    /The cutout folder "to-strokes\/\." is the strokes folder/,
  );
  mkdirSync(join(work.dir, 'masks'));
  symlinkSync('masks', join(work.dir, 'to-masks'));
  assertOneLineFailure(
    await runCliWith(['batch', 'images', 'strokes', '-o', 'masks', '--soft', 'to-masks'], work.dir),
    /The soft folder "to-masks" is the mask folder/,
  );
  assert.equal(snapshot(join(work.dir, 'images')), images);
  assert.deepEqual(readdirSync(join(work.dir, 'masks')), []);
});

test('queue add refuses the same folders as batch, before it contacts Redis', async () => {
  // Nothing listens on port 1: a check made after connecting would report the connection instead.
  const queueAdd = ['queue', 'add', '--redis', 'redis://127.0.0.1:1'];
  if (!existsSync(join(work.dir, 'to-images'))) symlinkSync('images', join(work.dir, 'to-images'));
  mkdirSync(join(work.dir, 'masks'), { recursive: true });
  if (!existsSync(join(work.dir, 'to-masks'))) symlinkSync('masks', join(work.dir, 'to-masks'));
  assertOneLineFailure(
    await runCliWith([...queueAdd, 'images', 'strokes', '-o', 'to-images'], work.dir),
    /The mask folder "to-images" is the images folder; give each output its own folder/,
  );
  assertOneLineFailure(
    await runCliWith([...queueAdd, 'images', 'strokes', '-o', 'masks', '--soft', 'to-masks'], work.dir),
    /The soft folder "to-masks" is the mask folder/,
  );
  writeFileSync(join(work.dir, 'a-file'), 'x');
  assertOneLineFailure(
    await runCliWith([...queueAdd, 'images', 'strokes', '--cutout', 'a-file'], work.dir),
    /The cutout folder "a-file" is a file; queued outputs go into folders/,
  );
});

test('batch --format coco killed with -9 resumes from its journal, to the same bytes as a clean run', async () => {
  const clean = await runCliWith(
    ['batch', 'images', 'strokes', '--format', 'coco', '-o', 'clean', '-j', '1', '-q'],
    work.dir,
  );
  assert.equal(clean.code, 0, clean.stderr);
  const journal = join(work.dir, 'resumed', '.coco.json.journal');
  const child = spawn(
    process.execPath,
    [cliPath, 'batch', 'images', 'strokes', '--format', 'coco', '-o', 'resumed', '-j', '1', '-q'],
    { cwd: work.dir, stdio: 'ignore' },
  );
  const entries = () => (existsSync(journal) ? readdirSync(journal).filter((n) => n.endsWith('.json')) : []);
  await until(() => entries().length >= 2);
  child.kill('SIGKILL');
  await new Promise((done) => child.on('close', done));
  const done = entries().length;
  assert.ok(done >= 2 && done < PAIRS, `${done} pairs journaled before the kill`);
  assert.equal(existsSync(join(work.dir, 'resumed', 'coco.json')), false);
  // The killed batch's lock is still there, naming a process that is gone: it is taken over.
  const lock = JSON.parse(readFileSync(join(work.dir, 'resumed', '.strokecut-batch.lock'), 'utf8'));
  assert.equal(lock.pid, child.pid);

  const resumed = await runCliWith(
    ['batch', 'images', 'strokes', '--format', 'coco', '-o', 'resumed', '-j', '1', '--json'],
    work.dir,
  );
  assert.equal(resumed.code, 0, resumed.stderr);
  const summary = JSON.parse(resumed.stdout);
  assert.equal(summary.upToDate, done);
  assert.equal(summary.written, PAIRS - done);
  assert.ok(
    readFileSync(join(work.dir, 'resumed', 'coco.json')).equals(
      readFileSync(join(work.dir, 'clean', 'coco.json')),
    ),
    'the resumed data set differs from a clean run',
  );
  // Journal and lock are gone once the data set is written.
  assert.deepEqual(readdirSync(join(work.dir, 'resumed')), ['coco.json']);
});

test('two batches on one output folder: the second is refused while the first runs; a stale lock is taken over', async () => {
  const first = spawn(
    process.execPath,
    [cliPath, 'batch', 'images', 'strokes', '-o', 'shared', '-j', '1', '--json'],
    {
      cwd: work.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let firstOut = '';
  first.stdout.on('data', (chunk) => {
    firstOut += chunk;
  });
  const firstDone = new Promise<number | null>((done) => first.on('close', done));
  const lockPath = join(work.dir, 'shared', '.strokecut-batch.lock');
  await until(() => existsSync(lockPath));
  const second = await runCliWith(['batch', 'images', 'strokes', '-o', 'shared', '-j', '1'], work.dir);
  assertOneLineFailure(
    second,
    new RegExp(`The output folder "shared" is in use by another strokecut batch \\(pid ${first.pid}, since `),
  );
  assert.equal(await firstDone, 0);
  assert.equal(JSON.parse(firstOut).written, PAIRS);
  assert.equal(existsSync(lockPath), false, 'the lock outlived its batch');

  // A lock left by a batch that is gone does not stop the next one.
  writeFileSync(lockPath, JSON.stringify({ pid: await deadPid(), host: hostname(), since: 'earlier' }));
  const third = await runCliWith(['batch', 'images', 'strokes', '-o', 'shared', '--json'], work.dir);
  assert.equal(third.code, 0, third.stderr);
  assert.equal(JSON.parse(third.stdout).upToDate, PAIRS);
  assert.equal(existsSync(lockPath), false);
});
