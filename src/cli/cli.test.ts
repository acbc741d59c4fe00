/** End-to-end tests of the built CLI, run as a real child process on real PNG files. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { extractSeeds } from '../core/seeds/extract-seeds.js';
import { SEED } from '../core/types.js';
import { readRgbImage, readStrokeImage } from '../io/read-image.js';
import { cliPath, exampleImagePath, exampleStrokesPath, temporaryDirectory } from '../testing/fixtures.js';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { cwd }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

async function readMask(path: string) {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return { data, info, metadata: await sharp(path).metadata() };
}

const work = temporaryDirectory();

test('runs on the bundled example and writes 70/<stroke file name>: binary, image-sized, seeds kept', async () => {
  const cwd = join(work, 'example');
  mkdirSync(cwd);
  const result = await runCli([exampleImagePath, exampleStrokesPath], cwd);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Wrote 70\/chelsea-stroke\.png \(451×300, \d+\.\d% foreground\)/);
  const output = join(cwd, '70', 'chelsea-stroke.png');
  const { metadata } = await readMask(output);
  assert.deepEqual(
    [metadata.width, metadata.height, metadata.channels, metadata.depth],
    [451, 300, 1, 'uchar'],
  );
  const mask = await sharp(output).extractChannel(0).raw().toBuffer();
  const seeds = extractSeeds(await readStrokeImage(exampleStrokesPath));
  let foreground = 0;
  for (let p = 0; p < mask.length; p++) {
    assert.ok(mask[p] === 0 || mask[p] === 255, `pixel ${p} is ${mask[p]}`);
    if (mask[p] === 255) foreground++;
    if (seeds.labels[p] === SEED.FOREGROUND) assert.equal(mask[p], 255);
    if (seeds.labels[p] === SEED.BACKGROUND) assert.equal(mask[p], 0);
  }
  const share = foreground / mask.length;
  assert.ok(share > 0.5 && share < 0.95, `foreground share ${share}`);
});

test('--json reports the run, with stage timings; -k and -o are honoured', async () => {
  const result = await runCli(
    [exampleImagePath, exampleStrokesPath, '-k', '12', '-o', 'masks/cat.png', '--json'],
    work,
  );
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.output, 'masks/cat.png');
  assert.equal(report.width, 451);
  assert.equal(report.height, 300);
  assert.deepEqual(report.k, { foreground: 12, background: 12 });
  assert.ok(report.seeds.foreground > 0 && report.seeds.background > 0);
  assert.ok(report.foregroundFraction > 0 && report.foregroundFraction < 1);
  for (const stage of ['decode', 'seeds', 'kmeans', 'classify', 'encode']) {
    assert.equal(typeof report.timings[stage], 'number', stage);
  }
  assert.ok(existsSync(join(work, 'masks', 'cat.png')));
});

test('the same --seed gives the same mask, byte for byte', async () => {
  const a = await runCli(
    [exampleImagePath, exampleStrokesPath, '--seed', '9', '-o', 'seed-a.png', '-q'],
    work,
  );
  const b = await runCli(
    [exampleImagePath, exampleStrokesPath, '--seed', '9', '-o', 'seed-b.png', '-q'],
    work,
  );
  assert.equal(a.code + b.code, 0);
  assert.equal(a.stdout, '');
  assert.deepEqual(readFileSync(join(work, 'seed-a.png')), readFileSync(join(work, 'seed-b.png')));
});

test('--help and --version', async () => {
  const help = await runCli(['--help'], work);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: strokecut IMAGE STROKES/);
  const version = await runCli(['--version'], work);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const none = await runCli([], work);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage/);
});

test('custom stroke colours with --fg-color / --bg-color', async () => {
  const strokes = await readStrokeImage(exampleStrokesPath);
  const recoloured = Buffer.from(strokes.data);
  for (let i = 0; i < recoloured.length; i += 3) {
    if (recoloured[i] === 255)
      recoloured.set([0, 255, 0], i); // red → green
    else if (recoloured[i + 2] === 255) recoloured.set([255, 255, 0], i); // blue → yellow
  }
  const path = join(work, 'green-yellow.png');
  await sharp(recoloured, { raw: { width: 451, height: 300, channels: 3 } })
    .png()
    .toFile(path);
  const plain = await runCli([exampleImagePath, exampleStrokesPath, '-o', 'ref.png', '-q'], work);
  const custom = await runCli(
    [exampleImagePath, path, '--fg-color', '#00ff00', '--bg-color', 'ff0', '-o', 'gy.png'],
    work,
  );
  assert.equal(plain.code, 0);
  assert.equal(custom.code, 0, custom.stderr);
  const a = await sharp(join(work, 'ref.png')).extractChannel(0).raw().toBuffer();
  const b = await sharp(join(work, 'gy.png')).extractChannel(0).raw().toBuffer();
  assert.deepEqual(a, b);

  // Without the flags, the message lists the colours found and the CLI words the hint in its flags.
  const unflagged = await runCli([exampleImagePath, path, '-o', 'none.png'], work);
  assert.equal(unflagged.code, 2);
  assert.match(
    unflagged.stderr,
    /^strokecut: No foreground strokes .*#00f800 .*say which with --fg-color \/ --bg-color\.\n$/,
  );
  assert.equal(existsSync(join(work, 'none.png')), false);
});

// ---- Bad input: one clear line, exit 2, no output written and an existing output left alone. ----

const image = await readRgbImage(exampleImagePath);
const badDirectory = join(work, 'bad');
mkdirSync(badDirectory);
const smallStrokes = join(badDirectory, 'small-stroke.png');
await sharp(Buffer.alloc(10 * 10 * 3), { raw: { width: 10, height: 10, channels: 3 } })
  .png()
  .toFile(smallStrokes);
const blankStrokes = join(badDirectory, 'blank-stroke.png');
await sharp(Buffer.alloc(image.width * image.height * 3), {
  raw: { width: image.width, height: image.height, channels: 3 },
})
  .png()
  .toFile(blankStrokes);
const redOnly = Buffer.from((await readStrokeImage(exampleStrokesPath)).data);
for (let i = 2; i < redOnly.length; i += 3) redOnly[i] = 0;
const redOnlyStrokes = join(badDirectory, 'red-only.png');
await sharp(redOnly, { raw: { width: image.width, height: image.height, channels: 3 } })
  .png()
  .toFile(redOnlyStrokes);
const notAnImage = join(badDirectory, 'not-an-image.png');
writeFileSync(notAnImage, 'hello');
writeFileSync(join(badDirectory, 'a-file'), 'x');

const badCases: { name: string; args: string[]; message: RegExp }[] = [
  {
    name: 'missing image',
    args: ['missing.png', exampleStrokesPath],
    message: /Cannot read the image "missing\.png": no such file/,
  },
  {
    name: 'missing strokes',
    args: [exampleImagePath, 'gone.png'],
    message: /Cannot read the stroke image "gone\.png": no such file/,
  },
  {
    name: 'not an image',
    args: [notAnImage, exampleStrokesPath],
    message: /not-an-image\.png" is not an image strokecut can read/,
  },
  {
    name: 'sizes differ',
    args: [exampleImagePath, smallStrokes],
    message: /image "[^"]*chelsea\.png" is 451×300 but the stroke image "[^"]*small-stroke\.png" is 10×10/,
  },
  {
    name: 'no strokes',
    args: [exampleImagePath, blankStrokes],
    message: /No foreground strokes .* no background strokes/,
  },
  {
    name: 'no background strokes',
    args: [exampleImagePath, redOnlyStrokes],
    message: /No background strokes \(#0000ff\) were found/,
  },
  {
    name: 'k = 0',
    args: [exampleImagePath, exampleStrokesPath, '-k', '0'],
    message: /k must be a positive integer; found "0"/,
  },
  {
    name: 'k not a number',
    args: [exampleImagePath, exampleStrokesPath, '-k', 'many'],
    message: /k must be a positive integer; found "many"/,
  },
  {
    name: 'k fractional',
    args: [exampleImagePath, exampleStrokesPath, '-k', '2.5'],
    message: /k must be a positive integer/,
  },
  {
    name: 'bad colour',
    args: [exampleImagePath, exampleStrokesPath, '--fg-color', 'reddish'],
    message: /Expected a colour as hex/,
  },
  {
    name: 'unknown option',
    args: [exampleImagePath, exampleStrokesPath, '--frobnicate'],
    message: /Unknown option '--frobnicate'/,
  },
  {
    name: 'one file only',
    args: [exampleImagePath],
    message: /Expected two files, IMAGE and STROKES; found 1/,
  },
  {
    name: 'output under a file',
    args: [exampleImagePath, exampleStrokesPath, '-o', 'a-file/mask.png'],
    message: /Cannot write the output "a-file\/mask\.png"/,
  },
  {
    name: 'output is an input',
    args: [exampleImagePath, exampleStrokesPath, '-o', exampleStrokesPath],
    message: /is one of the inputs; refusing to overwrite/,
  },
];

for (const { name, args, message } of badCases) {
  test(`bad input (${name}): one clear message, exit 2, nothing written`, async () => {
    const output = join(badDirectory, `out-${name.replace(/\W+/g, '-')}.png`);
    const hasOutput = args.includes('-o');
    if (!hasOutput) writeFileSync(output, 'previous result');
    const result = await runCli(hasOutput ? args : [...args, '-o', output], badDirectory);
    assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.match(result.stderr, /^strokecut: /);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(result.stdout, '');
    if (!hasOutput)
      assert.equal(readFileSync(output, 'utf8'), 'previous result', 'existing output untouched');
  });
}

test('bad input never creates the default output directory or file', async () => {
  const cwd = join(work, 'clean');
  mkdirSync(cwd);
  const result = await runCli([exampleImagePath, redOnlyStrokes], cwd);
  assert.equal(result.code, 2);
  assert.equal(existsSync(join(cwd, '70')), false);
  assert.ok(statSync(cwd).isDirectory());
});
