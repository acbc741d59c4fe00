/**
 * Issue #13, single runs through the real CLI: no input is ever overwritten (links included), a
 * run's outputs are written all or nothing (full disk, read-only folder, injected faults), and
 * stale temporaries of killed runs are removed.
 */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeScene, tempFolder, writeScenePng } from '../testing/fixtures.js';
import {
  assertOneLineFailure,
  deadPid,
  runCliWith,
  temporariesIn,
  tryMount,
} from '../testing/reliability.js';

let work: { dir: string; cleanup: () => Promise<void> };
let photoBytes: Buffer;
let strokesBytes: Buffer;

before(async () => {
  work = await tempFolder('safe-outputs');
  const scene = makeScene(64, 48, 3);
  await writeScenePng(scene, join(work.dir, 'photo.png'), join(work.dir, 'photo-stroke.png'));
  photoBytes = readFileSync(join(work.dir, 'photo.png'));
  strokesBytes = readFileSync(join(work.dir, 'photo-stroke.png'));
});
after(() => work.cleanup());

/** A fresh folder holding photo.png and photo-stroke.png. */
function caseFolder(name: string): string {
  const dir = join(work.dir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'photo.png'), photoBytes);
  writeFileSync(join(dir, 'photo-stroke.png'), strokesBytes);
  return dir;
}

function assertInputsIntact(dir: string): void {
  assert.ok(readFileSync(join(dir, 'photo.png')).equals(photoBytes), 'the photo was changed');
  assert.ok(readFileSync(join(dir, 'photo-stroke.png')).equals(strokesBytes), 'the strokes were changed');
}

const PAIR = ['photo.png', 'photo-stroke.png'];

test('an output that is an input through a folder link is refused, for every output kind', async () => {
  const dir = caseFolder('folder-link');
  symlinkSync('.', join(dir, 'same'));
  const cases = [
    ['-o', 'same/photo.png'],
    ['--cutout', 'same/same/photo-stroke.png'],
    ['--overlay', 'same/photo-stroke.png'],
    ['--soft', 'same/same/photo.png'],
  ];
  for (const [flag, target] of cases) {
    const run = await runCliWith([...PAIR, flag, target], dir);
    assertOneLineFailure(
      run,
      /is the input "photo(-stroke)?\.png" \(the same file, through a link\); refusing/,
    );
  }
  assertInputsIntact(dir);
});

test('an input given through a file link, or a hard link as the output, is still the input', async () => {
  const dir = caseFolder('file-links');
  symlinkSync('photo.png', join(dir, 'link.png'));
  linkSync(join(dir, 'photo-stroke.png'), join(dir, 'hard.png'));
  assertOneLineFailure(
    await runCliWith(['link.png', 'photo-stroke.png', '-o', 'photo.png'], dir),
    /The output "photo\.png" is the input "link\.png"/,
  );
  assertOneLineFailure(
    await runCliWith([...PAIR, '--cutout', 'hard.png'], dir),
    /The output "hard\.png" is the input "photo-stroke\.png"/,
  );
  assertOneLineFailure(
    await runCliWith([...PAIR, '--soft', 'link.png'], dir),
    /The output "link\.png" is the input "photo\.png"/,
  );
  // Two outputs that are one file through a link.
  symlinkSync('.', join(dir, 'here'));
  assertOneLineFailure(
    await runCliWith([...PAIR, '-o', 'm.png', '--cutout', 'here/m.png'], dir),
    /Two outputs, --mask and --cutout, would both be written to "here\/m\.png"/,
  );
  assertInputsIntact(dir);
  assert.deepEqual(readdirSync(dir).sort(), [
    'hard.png',
    'here',
    'link.png',
    'photo-stroke.png',
    'photo.png',
  ]);
});

test('a full disk: the run fails, the existing mask is kept, nothing else is left (tmpfs)', async (t) => {
  const dir = caseFolder('full');
  const full = join(dir, 'full');
  mkdirSync(full);
  // 64 KB: the mask fits (a few hundred bytes), the cut-out of a 2000×1500 photo does not.
  const big = makeScene(2000, 1500, 5);
  await writeScenePng(big, join(dir, 'big.png'), join(dir, 'big-stroke.png'));
  const mounted = tryMount(full, { tmpfsKilobytes: 64 });
  if ('skip' in mounted) {
    t.skip(mounted.skip);
    return;
  }
  try {
    writeFileSync(join(full, 'mask.png'), 'the old mask');
    const run = await runCliWith(
      ['big.png', 'big-stroke.png', '-o', 'full/mask.png', '--cutout', 'full/cut.png', '--smooth', '0'],
      dir,
    );
    assertOneLineFailure(run, /Cannot write the output "full\/cut\.png": no space left on the device/);
    assert.equal(readFileSync(join(full, 'mask.png'), 'utf8'), 'the old mask');
    assert.deepEqual(readdirSync(full), ['mask.png']);
  } finally {
    mounted.unmount();
  }
});

test('a read-only folder for one output: no output is written (read-only bind mount)', async (t) => {
  const dir = caseFolder('read-only');
  const ro = join(dir, 'ro');
  mkdirSync(ro);
  const mounted = tryMount(ro, { readOnlyBind: true });
  if ('skip' in mounted) {
    t.skip(mounted.skip);
    return;
  }
  try {
    const run = await runCliWith([...PAIR, '-o', 'mask.png', '--cutout', 'ro/cut.png'], dir);
    assertOneLineFailure(run, /Cannot write the output "ro\/cut\.png": the file system is read-only/);
    assert.equal(existsSync(join(dir, 'mask.png')), false, 'mask.png was written');
    assert.deepEqual(readdirSync(ro), []);
  } finally {
    mounted.unmount();
  }
  assertInputsIntact(dir);
});

test('simulated write and rename failures: existing outputs untouched, new folders and temporaries removed', async () => {
  const dir = caseFolder('faults');
  writeFileSync(join(dir, 'mask.png'), 'old mask');
  writeFileSync(join(dir, 'cut.png'), 'old cut-out');
  const outputs = ['-o', 'mask.png', '--cutout', 'cut.png', '--soft', 'soft.png'];
  // The disk fills while writing the second output.
  let run = await runCliWith([...PAIR, ...outputs], dir, { STROKECUT_TEST_FAULT: 'write:cut.png' });
  assertOneLineFailure(run, /Cannot write the output "cut\.png": no space left on the device/);
  // The last rename fails after the first two outputs were renamed into place: they are put back.
  run = await runCliWith([...PAIR, ...outputs], dir, { STROKECUT_TEST_FAULT: 'rename:soft.png' });
  assertOneLineFailure(run, /Cannot write the output "soft\.png"/);
  assert.equal(readFileSync(join(dir, 'mask.png'), 'utf8'), 'old mask');
  assert.equal(readFileSync(join(dir, 'cut.png'), 'utf8'), 'old cut-out');
  assert.deepEqual(temporariesIn(dir), []);
  assert.equal(existsSync(join(dir, 'soft.png')), false);
  // Outputs in a folder the run creates: the folder goes again.
  run = await runCliWith([...PAIR, '-o', 'new/a/m.png', '--cutout', 'new/c.png'], dir, {
    STROKECUT_TEST_FAULT: 'write:c.png',
  });
  assertOneLineFailure(run, /Cannot write the output "new\/c\.png"/);
  assert.equal(existsSync(join(dir, 'new')), false, 'the new folder was left behind');
  // A path whose parent is a file (no mount, no fault injection needed).
  writeFileSync(join(dir, 'blocker'), 'a file');
  run = await runCliWith([...PAIR, '-o', 'm2.png', '--cutout', 'blocker/cut.png'], dir);
  assertOneLineFailure(run, /Cannot write the output "blocker\/cut\.png": a part of the path is a file/);
  assert.equal(existsSync(join(dir, 'm2.png')), false);
  assertInputsIntact(dir);
  // Without faults, the same command writes all three.
  run = await runCliWith([...PAIR, ...outputs], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.notEqual(readFileSync(join(dir, 'mask.png'), 'utf8'), 'old mask');
  assert.ok(existsSync(join(dir, 'soft.png')));
});

test('a single run removes stale temporaries of dead processes, and only those', async () => {
  const dir = caseFolder('stale');
  mkdirSync(join(dir, 'out'));
  const dead = await deadPid();
  const stale = `.mask.png.${dead}.0123abcd.tmp`;
  const live = `.mask.png.${process.pid}.89abcdef.tmp`; // this test process: alive
  writeFileSync(join(dir, 'out', stale), 'half');
  writeFileSync(join(dir, 'out', live), 'being written');
  const run = await runCliWith([...PAIR, '-o', 'out/mask.png'], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), [live, 'mask.png']);
});

test('the photo given as its own stroke image, or a photo as strokes: exit 2, nothing written', async () => {
  const dir = caseFolder('photo-as-strokes');
  copyFileSync(join(dir, 'photo.png'), join(dir, 'copy.png'));
  assertOneLineFailure(
    await runCliWith(['photo.png', 'photo.png', '-o', 'm.png'], dir),
    /The stroke image "photo\.png" is the photo "photo\.png" itself.*A stroke image is a copy of the photo that is black everywhere except a few strokes/,
  );
  assertOneLineFailure(
    await runCliWith(['photo.png', 'copy.png', '-o', 'm.png'], dir),
    /"copy\.png" is the photo "photo\.png" itself \(the same bytes\)/,
  );
  // Another picture, most of it saturated red and blue: most pixels would be strokes.
  const scene = makeScene(64, 48, 9);
  const loud = new Uint8Array(scene.image.length);
  for (let p = 0; p < loud.length / 3; p++) loud[p * 3 + ((p >> 4) % 3 === 0 ? 2 : 0)] = 200 + (p % 50);
  await writeScenePng({ ...scene, strokes: loud }, join(dir, 'other.png'), join(dir, 'loud.png'));
  assertOneLineFailure(
    await runCliWith(['photo.png', 'loud.png', '-o', 'm.png'], dir),
    /The stroke image "loud\.png" marks 100% of its pixels as strokes.*is it a photo\? A stroke image is/,
  );
  assert.equal(existsSync(join(dir, 'm.png')), false);
});
