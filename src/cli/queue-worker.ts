/**
 * `strokecut worker`: takes jobs that `strokecut queue add` put in Redis and runs each through
 * batch's per-pair pipeline on a pool of worker threads. The main thread only talks to Redis
 * (fetching jobs, renewing their locks), so a long image never starves a lock renewal.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
// Loaded in the main thread before any worker thread loads it (see batch-command.ts).
import 'sharp';
import type { Job } from 'bullmq';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { StrokecutError } from '../core/errors.js';
import { parseIntegerOption } from './args.js';
import type { CliIo } from './output.js';
import type { PairJob, PairResult } from './process-pair.js';
import { renderProgress } from './progress.js';
import type { QueueJobData, QueueJobResult } from './queue-jobs.js';
import {
  connectRedis,
  DEFAULT_LOCK_MS,
  isUpToDate,
  JOB_ATTEMPTS,
  jobFailure,
  pairJobOf,
  QUEUE_OPTIONS_HELP,
  queueTarget,
  workerName,
} from './queue-jobs.js';
import { EXIT } from './run.js';
import { createWorkerPool } from './worker-pool.js';

export const WORKER_USAGE = `Usage: strokecut worker [--redis URL] [--queue NAME] [--concurrency N] [--until-empty]

Does the jobs of 'strokecut queue add': each pair through the same pipeline as 'strokecut batch',
outputs written atomically, pairs whose outputs are newer than both inputs skipped (up to date).
Run one per machine; every machine must see the files at the paths they were queued with.
Bad input fails its job at once (see 'strokecut queue status'); unexpected errors are retried
with backoff, ${JOB_ATTEMPTS} attempts in all. A worker that dies loses nothing: its jobs go back to
waiting when their locks expire, and another worker takes them.

Options:
${QUEUE_OPTIONS_HELP}  -c, --concurrency N  jobs at once, each on its own thread (default: one per core, here ${availableParallelism()})
      --until-empty    exit (0) once no job is waiting, delayed or active; without it, run
                       until SIGTERM or SIGINT, then finish the current jobs and exit
      --lock-duration MS  how long a job's lock lasts unless renewed (default ${DEFAULT_LOCK_MS}):
                       a dead worker's jobs are taken over within about 1.25 × this
      --json           on exit, print one JSON summary on stdout
  -q, --quiet          print nothing but errors (no progress line)
  -h, --help           show this help

Exit status: 0 stopped cleanly (failed jobs are in the queue, not in the exit status); 2 bad
usage or Redis cannot be reached; 1 an unexpected error.
`;

export interface WorkerSummary {
  worker: string;
  queue: string;
  written: number;
  upToDate: number;
  /** Jobs failed for good by this worker (bad input, or the last attempt). */
  failed: number;
  /** Attempts that failed unexpectedly and were put back for a retry. */
  retried: number;
  seconds: number;
}

/**
 * Resolves when no job is waiting, delayed or active anywhere. Redis is asked only while this
 * worker holds no job (a busy worker knows the queue is not empty), once a second: a few commands
 * per second at the end of a run instead of a steady poll.
 */
async function untilEmpty(queue: Queue, busy: () => boolean, stopped: () => boolean): Promise<void> {
  for (;;) {
    if (stopped()) return;
    if (!busy()) {
      const counts = await queue.getJobCounts(
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'waiting-children',
      );
      if (Object.values(counts).every((n) => n === 0)) return;
    }
    await new Promise((wake) => setTimeout(wake, busy() ? 250 : 1000));
  }
}

export async function runWorker(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout(WORKER_USAGE);
    return EXIT.OK;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      redis: { type: 'string' },
      queue: { type: 'string' },
      concurrency: { type: 'string', short: 'c' },
      'until-empty': { type: 'boolean' },
      'lock-duration': { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  if (positionals.length > 0) {
    throw new StrokecutError('USAGE', `strokecut worker takes no arguments; found ${positionals.join(' ')}.`);
  }
  const target = queueTarget(values);
  const concurrency =
    values.concurrency === undefined
      ? availableParallelism()
      : parseIntegerOption('--concurrency', values.concurrency, 1, 256);
  const lockDuration =
    values['lock-duration'] === undefined
      ? DEFAULT_LOCK_MS
      : parseIntegerOption('--lock-duration', values['lock-duration'], 1000, 3_600_000);

  // One line per distinct trouble: the bar (if any) is cleared first and redraws.
  let drawn = false;
  const say = (line: string) => {
    if (drawn) io.stderr('\r\x1b[2K');
    drawn = false;
    io.stderr(`${line}\n`);
  };
  const warned = new Set<string>();
  const warnOnce = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    say(`strokecut: ${message}`);
  };
  const client = await connectRedis(target, warnOnce);
  const name = workerName();
  const pool = createWorkerPool<PairJob, PairResult>(
    new URL('./batch-worker.js', import.meta.url),
    concurrency,
  );
  const summary: WorkerSummary = {
    worker: name,
    queue: target.name,
    written: 0,
    upToDate: 0,
    failed: 0,
    retried: 0,
    seconds: 0,
  };
  const t0 = performance.now();

  let inFlight = 0;
  const processor = async (job: Job<QueueJobData, QueueJobResult>): Promise<QueueJobResult> => {
    inFlight++;
    try {
      const data = job.data;
      if (await isUpToDate(data)) return { status: 'up-to-date', worker: name };
      const outcome = await pool.run(pairJobOf(data));
      if (!outcome.ok) throw jobFailure(outcome.error);
      return {
        status: 'written',
        worker: name,
        milliseconds: Math.round(outcome.value.timings.total),
        foregroundFraction: outcome.value.stats.foregroundFraction,
      };
    } finally {
      inFlight--;
    }
  };
  const worker = new Worker<QueueJobData, QueueJobResult>(target.name, processor, {
    connection: client,
    concurrency,
    name,
    lockDuration,
    stalledInterval: Math.max(500, Math.round(lockDuration / 4)),
    // A job on a machine that died is put back; one whose workers die twice is failed (it may be
    // what kills them: an image too large for the memory).
    maxStalledCount: 2,
  });
  worker.on('error', (error) => warnOnce(`Redis at ${target.shown}: ${error.message}`));
  worker.on('completed', (_job, result) => {
    if (result.status === 'written') summary.written++;
    else summary.upToDate++;
  });
  worker.on('failed', (job, error) => {
    const names = job ? [job.data.image, job.data.strokes].join(' + ') : 'a job';
    const final =
      error instanceof UnrecoverableError ||
      error.name === 'UnrecoverableError' ||
      !job ||
      job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) {
      summary.failed++;
      say(`strokecut: failed ${names}: ${error.message.split('\n')[0]}`);
    } else {
      summary.retried++;
      say(
        `strokecut: attempt ${job.attemptsMade} of ${job.opts.attempts} failed for ${names}, retrying: ${error.message.split('\n')[0]}`,
      );
    }
  });

  // Progress over the whole queue (every worker's jobs) since this one started.
  const queue = new Queue(target.name, { connection: client });
  queue.on('error', () => {});
  let progress: NodeJS.Timeout | undefined;
  if (io.isTTY && !values.quiet) {
    const countsNow = async () => {
      const c = await queue.getJobCounts(
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'completed',
        'failed',
      );
      return { done: c.completed + c.failed, left: c.waiting + c.prioritized + c.active + c.delayed };
    };
    const start = await countsNow();
    progress = setInterval(async () => {
      const now = await countsNow().catch(() => undefined);
      if (!now || stopping) return;
      const done = now.done - start.done;
      io.stderr(
        `\r\x1b[2K${renderProgress(done, done + now.left, (performance.now() - t0) / 1000, 24, `strokecut worker (${target.name})`)} · here ${summary.written + summary.upToDate + summary.failed}`,
      );
      drawn = true;
    }, 1000);
  }

  let stopping = false;
  let stop = () => {};
  const stopped = new Promise<void>((resolveStop) => {
    stop = () => {
      stopping = true;
      resolveStop();
    };
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      say(
        `strokecut: ${signal} again: quitting now; the current jobs go back to waiting when their locks expire.`,
      );
      process.exit(130);
    }
    say(`strokecut: ${signal}: finishing the current jobs, then exiting (${signal} again to quit now).`);
    stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    if (values['until-empty'])
      await Promise.race([
        stopped,
        untilEmpty(
          queue,
          () => inFlight > 0,
          () => stopping,
        ),
      ]);
    else await stopped;
    stopping = true;
    // close() waits for the jobs in hand; no new one is taken meanwhile.
    await worker.close();
    await pool.close();
  } finally {
    if (progress) clearInterval(progress);
    if (drawn) io.stderr('\r\x1b[2K');
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await queue.close().catch(() => {});
    await client.quit().catch(() => client.disconnect());
  }
  summary.seconds = Math.round(performance.now() - t0) / 1000;
  if (values.json) io.stdout(`${JSON.stringify(summary)}\n`);
  else if (!values.quiet) {
    io.stdout(
      `Worker ${name} on queue ${target.name}: ${summary.written} written, ${summary.upToDate} up to date, ${summary.failed} failed${summary.retried ? `, ${summary.retried} attempts retried` : ''} in ${summary.seconds.toFixed(1)} s\n`,
    );
  }
  return EXIT.OK;
}
