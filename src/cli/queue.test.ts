/**
 * `strokecut queue` and `strokecut worker` against a real redis-server started here (private port,
 * temporary folder) and real worker processes: one killed with -9 mid-job, one stopped with
 * SIGTERM mid-job, one draining with --until-empty. The outputs must equal `strokecut batch`'s.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  cliPath,
  makeScene,
  rawSharp,
  readPixels,
  runCli,
  tempFolder,
  writeScenePng,
} from '../testing/fixtures.js';
import type { PrivateRedis } from '../testing/redis.js';
import { freePort, startRedis } from '../testing/redis.js';
import type { QueueAddSummary, QueueStatus } from './queue-command.js';
import type { QueueJobResult } from './queue-jobs.js';
import type { WorkerSummary } from './queue-worker.js';

const GOOD = 24;
const W = 160;
const H = 120;
let root = '';
let cleanup = async () => {};
let redis: PrivateRedis;
let client: Redis;

before(async () => {
  ({ dir: root, cleanup } = await tempFolder('queue'));
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  await mkdir(join(root, 'images'));
  await mkdir(join(root, 'strokes'));
  for (let i = 0; i < GOOD; i++) {
    const name = `p${String(i).padStart(2, '0')}`;
    await writeScenePng(
      makeScene(W, H, i + 1),
      join(root, 'images', `${name}.png`),
      join(root, 'strokes', `${name}-stroke.png`),
    );
  }
  // Two bad pairs, queued last (jobs run in order): an image that is no image, strokes of another size.
  const small = makeScene(40, 30, 99);
  await writeFile(join(root, 'images', 'zcorrupt.png'), 'this is not a PNG');
  await rawSharp(small.strokes, 40, 30, 3)
    .png()
    .toFile(join(root, 'strokes', 'zcorrupt-stroke.png'));
  await rawSharp(makeScene(W, H, 98).image, W, H, 3)
    .png()
    .toFile(join(root, 'images', 'zmismatch.png'));
  await rawSharp(small.strokes, 40, 30, 3)
    .png()
    .toFile(join(root, 'strokes', 'zmismatch-stroke.png'));
});
after(async () => {
  client?.disconnect();
  await redis?.stop();
  await cleanup();
});

const withRedis = (queue: string, ...args: string[]) => [...args, '--redis', redis.url, '--queue', queue];

interface Running {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startWorker(queue: string, ...extra: string[]): Running {
  const child = spawn(
    process.execPath,
    [
      cliPath,
      ...withRedis(queue, 'worker', '--concurrency', '1', '--lock-duration', '2000', '--json', ...extra),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<Awaited<Running['done']>>((resolveDone) =>
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Polls until a job is active in `queue` with processedBy ending in `:pid`; returns its id. */
async function activeJobOf(queue: Queue, pid: number, timeoutMs = 30_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    for (const job of await queue.getActive()) {
      if (job.processedBy?.endsWith(`:${pid}`)) return String(job.id);
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`no active job for worker ${pid} in ${timeoutMs} ms`);
    await new Promise((wake) => setTimeout(wake, 5));
  }
}

async function status(queue: string): Promise<QueueStatus> {
  const run = await runCli(withRedis(queue, 'queue', 'status', '--json'), root);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as QueueStatus;
}

test('queue: two workers, one killed with -9 and one stopped by SIGTERM mid-job, a third drains; outputs equal batch', async () => {
  const reference = await runCli(
    ['batch', 'images', 'strokes', '-o', 'ref/masks', '--cutout', 'ref/cut', '--jobs', '2', '--json'],
    root,
  );
  assert.equal(reference.code, 2, reference.stderr); // the two bad pairs

  const add = await runCli(
    withRedis(
      'main',
      'queue',
      'add',
      'images',
      'strokes',
      '-o',
      'out/masks',
      '--cutout',
      'out/cut',
      '--json',
    ),
    root,
  );
  assert.equal(add.code, 0, add.stderr);
  const added = JSON.parse(add.stdout) as QueueAddSummary;
  assert.deepEqual([added.pairs, added.added, added.existing], [GOOD + 2, GOOD + 2, 0]);

  const queue = new Queue('main', { connection: client });
  try {
    const a = startWorker('main');
    const b = startWorker('main');
    // Kill A with -9 while it holds a job: the job must still be active (locked by a dead worker).
    await activeJobOf(queue, b.child.pid as number); // both are running
    const orphan = await activeJobOf(queue, a.child.pid as number);
    a.child.kill('SIGKILL');
    const killed = await a.done;
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(await (await queue.getJob(orphan))?.getState(), 'active', 'A died holding its job');

    const c = startWorker('main', '--until-empty');
    // SIGTERM B while it holds a job: it finishes that job, then exits 0.
    const last = await activeJobOf(queue, b.child.pid as number);
    b.child.kill('SIGTERM');
    const stoppedB = await b.done;
    assert.equal(stoppedB.code, 0, stoppedB.stderr);
    const lastJob = await queue.getJob(last);
    // Finished (a bad pair fails, which is finished too), and by B: not left to stall.
    assert.match(String(await lastJob?.getState()), /^(completed|failed)$/, 'B finished the job it held');
    assert.match(String(lastJob?.processedBy), new RegExp(`:${b.child.pid}$`));
    assert.equal(lastJob?.stalledCounter, 0);

    const drained = await c.done;
    assert.equal(drained.code, 0, drained.stderr);
    const summaryC = JSON.parse(drained.stdout) as WorkerSummary;
    assert.ok(summaryC.written > 0, drained.stdout);

    // The orphan was taken over by a live worker after its lock expired.
    const recovered = await queue.getJob(orphan);
    assert.ok(recovered);
    assert.equal(await recovered.getState(), 'completed');
    assert.equal(recovered.stalledCounter, 1);
    assert.doesNotMatch((recovered.returnvalue as QueueJobResult).worker, new RegExp(`:${a.child.pid}$`));

    const after = await status('main');
    assert.deepEqual(after.counts, { waiting: 0, active: 0, delayed: 0, completed: GOOD, failed: 2 });
    const reasons = after.failed.map((job) => `${job.image?.split('/').pop()} ${job.reason}`).sort();
    assert.match(reasons[0], /^zcorrupt\.png INVALID_IMAGE: The image ".*zcorrupt\.png" is not an image/);
    assert.match(reasons[1], /^zmismatch\.png SIZE_MISMATCH: The image ".*zmismatch\.png" is 160×120 but/);
    assert.ok(
      after.failed.every((job) => job.attempts === 1),
      'bad input is not retried',
    );

    // Every good pair's outputs equal batch's, pixel for pixel; no stray temporary file but the
    // dead worker's (hidden, never read).
    for (const kind of ['masks', 'cut']) {
      const names = (await readdir(join(root, 'out', kind))).sort();
      const visible = names.filter((name) => !name.startsWith('.'));
      assert.deepEqual(visible, (await readdir(join(root, 'ref', kind))).sort());
      assert.equal(visible.length, GOOD);
      for (const name of names.filter((n) => n.startsWith('.')))
        assert.match(name, new RegExp(`\\.${a.child.pid}\\.[0-9a-f]{8}\\.tmp$`));
      for (const name of visible) {
        const [mine, theirs] = await Promise.all([
          readPixels(join(root, 'out', kind, name)),
          readPixels(join(root, 'ref', kind, name)),
        ]);
        assert.deepEqual(mine, theirs, `${kind}/${name}`);
      }
    }

    // Adding the same folders again adds nothing.
    const again = await runCli(
      withRedis(
        'main',
        'queue',
        'add',
        'images',
        'strokes',
        '-o',
        'out/masks',
        '--cutout',
        'out/cut',
        '--json',
      ),
      root,
    );
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout) as QueueAddSummary;
    assert.deepEqual([summary.added, summary.existing], [0, GOOD + 2]);
    assert.equal((await status('main')).counts.waiting, 0);
  } finally {
    await queue.close();
  }
});

test('queue: the resume rule, retry-failed and clean (on the outputs written above)', async () => {
  const queue = new Queue('second', { connection: client });
  const counts = async () => {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    return {
      waiting: c.waiting,
      active: c.active,
      delayed: c.delayed,
      completed: c.completed,
      failed: c.failed,
    };
  };
  const args = ['images', 'strokes', '-o', 'out/masks', '--cutout', 'out/cut', '--json'];
  const add = await runCli(withRedis('second', 'queue', 'add', ...args), root);
  assert.equal(add.code, 0, add.stderr);
  assert.equal((JSON.parse(add.stdout) as QueueAddSummary).added, GOOD + 2);
  const first = await startWorker('second', '--until-empty', '--concurrency', '2').done;
  assert.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(first.stdout) as WorkerSummary;
  assert.deepEqual([summary.written, summary.upToDate, summary.failed], [0, GOOD, 2]);
  assert.equal(first.stderr.trim().split('\n').length, 2, `one line per failed job:\n${first.stderr}`);

  const retry = await runCli(withRedis('second', 'queue', 'retry-failed'), root);
  assert.equal(retry.code, 0, retry.stderr);
  assert.match(retry.stdout, /2 failed jobs back to waiting/);
  assert.equal((await counts()).waiting, 2);
  const second = await startWorker('second', '--until-empty').done;
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual((await status('second')).counts, {
    waiting: 0,
    active: 0,
    delayed: 0,
    completed: GOOD,
    failed: 2,
  });

  const clean = await runCli(withRedis('second', 'queue', 'clean', '--json'), root);
  assert.equal(clean.code, 0, clean.stderr);
  assert.deepEqual(JSON.parse(clean.stdout).removed, { completed: GOOD, failed: 2 });
  assert.deepEqual((await status('second')).counts, {
    waiting: 0,
    active: 0,
    delayed: 0,
    completed: 0,
    failed: 0,
  });
  const readd = await runCli(withRedis('second', 'queue', 'add', ...args), root);
  assert.equal(
    (JSON.parse(readd.stdout) as QueueAddSummary).added,
    GOOD + 2,
    'after clean, adding queues anew',
  );
});

test('queue: unpaired files as batch reports them; connection refused and bad URLs: one line, exit 2', async () => {
  const { dir, cleanup: done } = await tempFolder('queue-bad');
  try {
    await mkdir(join(dir, 'in'));
    await writeScenePng(makeScene(20, 15, 1), join(dir, 'in', 'a.png'), join(dir, 'in', 'a-stroke.png'));
    await writeScenePng(
      makeScene(20, 15, 2),
      join(dir, 'in', 'lonely.png'),
      join(dir, 'in', 'orphan-stroke.png'),
    );
    const batch = await runCli(['batch', 'in', 'in', '-o', 'b', '--json'], dir);
    const add = await runCli(withRedis('third', 'queue', 'add', 'in', 'in', '-o', 'q', '--json'), dir);
    assert.equal(add.code, 2);
    const skipped = (text: string) =>
      text.split('\n').filter((line) => line.startsWith('strokecut: skipped'));
    assert.deepEqual(skipped(add.stderr), skipped(batch.stderr));
    assert.equal(skipped(add.stderr).length, 2); // lonely.png without strokes, orphan-stroke.png without image
    assert.equal((JSON.parse(add.stdout) as QueueAddSummary).added, 1);

    const port = await freePort(); // nobody listens there
    const refused = `redis://127.0.0.1:${port}`;
    for (const args of [
      ['queue', 'status', '--redis', refused],
      ['queue', 'add', 'in', 'in', '--redis', refused],
      ['worker', '--until-empty', '--redis', refused],
      ['queue', 'clean', '--redis', 'http://127.0.0.1:6379'],
      ['worker', '--redis', 'not a url'],
      ['queue', 'add', 'in', 'in', '--format', 'coco', '--redis', refused],
    ]) {
      const run = await runCli(args, dir);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line:\n${run.stderr}`);
      assert.equal(run.stdout, '');
      if (args[1] === 'status')
        assert.equal(
          run.stderr,
          `strokecut: Cannot reach Redis at ${refused}: connection refused (is redis-server running there?).\n`,
        );
    }
  } finally {
    await done();
  }
});
