/**
 * The package as a user gets it: packed, installed from the tarball into a fresh folder, and run
 * there — `npx strokecut --help`, a segmentation of the shipped example, `serve` (the page is in
 * the package) and the README's library snippet, as written.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { buildWeb } from '../scripts/build-web.js';
import { exampleImagePath, exampleStrokesPath, repoRoot, runCli, tempFolder } from './testing/fixtures.js';

const run = promisify(execFile);
let work: { dir: string; cleanup: () => Promise<void> };
let app: string;
let installed: string;

before(async () => {
  work = await tempFolder('package');
  app = join(work.dir, 'app');
  await mkdir(app);
  // prepack's job: the page bundle goes into dist/web (no browser test serves that folder).
  await buildWeb();
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work.dir], {
    cwd: repoRoot,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as { filename: string }[];
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work.dir, filename)],
    { cwd: app, timeout: 240_000 },
  );
  installed = join(app, 'node_modules', 'strokecut');
});

after(() => work?.cleanup());

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

test('the package ships what users run, and nothing for tests or the browser bundle only', async () => {
  const files = await filesUnder(installed);
  for (const needed of [
    'LICENSE',
    'README.md',
    'CHANGELOG.md',
    'dist/src/cli/main.js',
    'dist/src/core/index.d.ts',
    'dist/web/index.html',
    'dist/web/worker.js',
    'examples/chelsea.png',
  ])
    assert.ok(files.includes(needed), `${needed} is in the package`);
  const unwanted = files.filter(
    (f) =>
      f.endsWith('.map') ||
      f.includes('.test.') ||
      f.startsWith('dist/src/web/') ||
      f.startsWith('dist/src/testing/') ||
      f.startsWith('dist/bench/') ||
      f.startsWith('src/') ||
      f === 'examples/coffee.png',
  );
  assert.deepEqual(unwanted, []);
});

test('npx strokecut --help, and a segmentation equal to the repository CLI’s', async () => {
  const help = await run('npx', ['--no-install', 'strokecut', '--help'], { cwd: app });
  assert.match(help.stdout, /^Usage: strokecut IMAGE STROKES/);
  const image = join(installed, 'examples', 'chelsea.png');
  const strokes = join(installed, 'examples', 'chelsea-stroke.png');
  await run('npx', ['--no-install', 'strokecut', image, strokes, '-q'], { cwd: app });
  const reference = await runCli(
    [exampleImagePath, exampleStrokesPath, '-q', '-o', 'reference.png'],
    work.dir,
  );
  assert.equal(reference.code, 0, reference.stderr);
  const [ours, theirs] = await Promise.all(
    [join(app, '70', 'chelsea-stroke.png'), join(work.dir, 'reference.png')].map((p) =>
      sharp(p).raw().toBuffer(),
    ),
  );
  assert.ok(ours.equals(theirs), 'same mask from the package as from the repository');
});

test('npx strokecut serve serves the page from the package', async () => {
  const server: ChildProcess = spawn('npx', ['--no-install', 'strokecut', 'serve', '--port', '0'], {
    cwd: app,
    detached: true, // its own process group, so npx and the server it starts stop together
  });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (chunk) => {
        out += chunk;
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (found) resolve(found[0]);
      });
      server.on('exit', (code) =>
        reject(new Error(`serve exited (${code}) before printing its address: ${out}`)),
      );
    });
    const page = await fetch(address);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script[^>]+main\.js/);
    const worker = await fetch(new URL('worker.js', address));
    assert.equal(worker.status, 200);
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  }
});

test('the README’s library snippet runs as written against the installed package', async () => {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const library = readme.slice(readme.indexOf('## Library'));
  const snippet = /```ts\n([\s\S]*?)```/.exec(library)?.[1];
  assert.ok(snippet, 'README.md has a ts snippet under "## Library"');
  await copyFile(exampleImagePath, join(app, 'photo.png'));
  await copyFile(exampleStrokesPath, join(app, 'photo-stroke.png'));
  // The snippet is plain JavaScript apart from its fence, so Node runs it as a module unchanged.
  await writeFile(join(app, 'snippet.mjs'), snippet);
  const { stdout } = await run(process.execPath, ['snippet.mjs'], { cwd: app });
  assert.match(stdout, /^\d+\.\d % foreground\n$/);
  const mask = await sharp(join(app, 'mask.png')).metadata();
  assert.deepEqual([mask.width, mask.height, mask.channels], [451, 300, 1]);
});
