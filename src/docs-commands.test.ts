/**
 * The commands in README.md and docs/ cannot drift from the code: every line of every `sh` block
 * is checked. strokecut commands may use only flags their `--help` lists (and the subcommands
 * that exist); `npm run X` needs the script X; `node FILE` and `python3 FILE` need the file;
 * `npm start` is run and must write what the README says it writes. Any other program must be
 * on the list below, with the reason it is not run here.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { cliPath, repoRoot, runCli, tempFolder } from './testing/fixtures.js';

/** Programs the docs may name that no test runs, and why. */
const NOT_RUN_HERE: Record<string, string> = {
  sudo: 'system set-up (apt-get install …), done by .ci/run where the tests need it',
  'apt-get': 'system set-up, done by .ci/run where the tests need it',
  export: 'sets an environment variable for the commands after it',
  'redis-server': 'a cluster’s Redis; queue.test.ts starts a private one',
};
/** npm commands that are the set-up or the test run itself. */
const NPM_SETUP = new Set(['install', 'ci', 'test']);

interface DocCommand {
  file: string;
  line: string;
}

/** README.md and every Markdown file of docs/, relative to the repository. */
function docFiles(): string[] {
  const docs = readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md'));
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}

function docCommands(): DocCommand[] {
  const files = docFiles();
  const commands: DocCommand[] = [];
  for (const file of files) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const block of text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
      for (const raw of block[1].split('\n')) {
        const line = raw.replace(/(^|\s)#.*$/, '').trim();
        if (!line) continue;
        // A line of bracketed options continues the usage line above it.
        if (line.startsWith('[') && commands.length > 0) commands[commands.length - 1].line += ` ${line}`;
        else for (const part of line.split('&&')) commands.push({ file, line: part.trim() });
      }
    }
  }
  return commands;
}

const helpCache = new Map<string, string>();
async function helpOf(subcommand: string[]): Promise<string> {
  const key = subcommand.join(' ');
  const cached = helpCache.get(key);
  if (cached !== undefined) return cached;
  const { code, stdout, stderr } = await runCli([...subcommand, '--help'], repoRoot);
  assert.equal(code, 0, `strokecut ${key} --help: ${stderr}`);
  helpCache.set(key, stdout);
  return stdout;
}

const SUBCOMMANDS = ['batch', 'eval', 'serve', 'queue', 'worker'];

/** Checks a strokecut command line (the words after `strokecut`) against its help. */
async function checkStrokecut(words: string[], where: string): Promise<void> {
  const subcommand = SUBCOMMANDS.includes(words[0]) ? [words[0]] : [];
  const help = await helpOf(subcommand);
  if (words[0] === 'queue') {
    const action = words[1];
    assert.ok(
      ['add', 'status', 'retry-failed', 'clean'].includes(action),
      `${where}: no queue subcommand "${action}"`,
    );
  }
  for (const word of words) {
    const flag = /^\[?(--?[A-Za-z][\w-]*)/.exec(word)?.[1];
    if (!flag) continue;
    const listed = new RegExp(`(^|[\\s,/])${flag.replace(/-/g, '\\-')}(?![\\w-])`, 'm').test(help);
    assert.ok(
      listed,
      `${where}: ${flag} is not an option of strokecut ${subcommand.join(' ')} (see its --help)`,
    );
  }
}

test('every command in README.md and docs/ names real programs, scripts, files and flags', async () => {
  const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const commands = docCommands();
  assert.ok(commands.length > 20, `found ${commands.length} commands in the docs`);
  for (const { file, line } of commands) {
    const where = `${file}: "${line}"`;
    const words = line.split(/\s+/);
    const [program, ...rest] = words;
    if (/^[A-Z_]+=/.test(program)) continue; // a shell variable for the lines below
    if (program === 'strokecut') await checkStrokecut(rest, where);
    else if (program === 'npx' && rest[0] === 'strokecut') await checkStrokecut(rest.slice(1), where);
    else if (program === 'npm') {
      if (rest[0] === 'run')
        assert.ok(rest[1] in scripts, `${where}: package.json has no script "${rest[1]}"`);
      else if (rest[0] === 'start') assert.ok('start' in scripts, where);
      else assert.ok(NPM_SETUP.has(rest[0]), `${where}: npm ${rest[0]} is neither set-up nor a script`);
    } else if (program === 'node' || /python3$/.test(program)) {
      const script = rest[0];
      assert.ok(
        existsSync(join(repoRoot, script)),
        `${where}: ${script} does not exist (after npm run build)`,
      );
      if (script === 'dist/src/cli/main.js') await checkStrokecut(rest.slice(1), where);
    } else {
      assert.ok(program in NOT_RUN_HERE, `${where}: ${program} is not checked; run it in a test or list it`);
    }
  }
});

test('npm start writes what the README says: 70/chelsea-stroke.png', async () => {
  const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  assert.match(
    readme,
    /npm start +# cuts examples\/chelsea\.png with examples\/chelsea-stroke\.png and writes 70\/chelsea-stroke\.png/,
  );
  const cut = scripts.start.split('&&').at(-1)?.trim().split(/\s+/) ?? [];
  assert.deepEqual(cut.slice(0, 2), ['node', 'dist/src/cli/main.js']);
  const work = await tempFolder('start');
  try {
    const args = cut.slice(2).map((a) => (a.startsWith('examples/') ? join(repoRoot, a) : a));
    const { code, stderr } = await runCli(args, work.dir);
    assert.equal(code, 0, stderr);
    assert.ok(existsSync(join(work.dir, '70', 'chelsea-stroke.png')));
    assert.ok(cliPath.endsWith(join('dist', 'src', 'cli', 'main.js')));
  } finally {
    await work.cleanup();
  }
});

test('every relative link in README.md and docs/ points at a file that exists', () => {
  const files = docFiles();
  const broken: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target) || target.startsWith('#')) continue;
      const path = target.split('#')[0];
      if (!existsSync(join(repoRoot, dirname(file), path))) broken.push(`${file}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});
