/**
 * `strokecut queue add | status | retry-failed | clean`: the producer and the operator's side of a
 * batch spread over machines. The jobs live in BullMQ on Redis; `strokecut worker` does them.
 */

import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { StrokecutError } from '../core/errors.js';
import { pairFolders } from './batch-pairs.js';
import { parseMatteOptions } from './matte-options.js';
import type { CliIo } from './output.js';
import { resolveOutputFolders } from './output-paths.js';
import { createProgress } from './progress.js';
import type { QueueJobData, QueueTarget } from './queue-jobs.js';
import {
  connectRedis,
  encodeOptions,
  JOB_ATTEMPTS,
  JOB_BACKOFF_MS,
  jobIdOf,
  QUEUE_OPTIONS_HELP,
  queueTarget,
} from './queue-jobs.js';
import { EXIT } from './run.js';
import {
  maskOption,
  OUTPUT_OPTION_SPECS,
  parseMaskFormat,
  parseMaxPixels,
  parseSegmentOptions,
  SEGMENT_OPTION_SPECS,
  SEGMENT_OPTIONS_HELP,
} from './segment-options.js';
import { packageVersion } from './version.js';

export const QUEUE_USAGE = `Usage: strokecut queue add IMAGES_DIR STROKES_DIR [-o OUT_DIR] [--cutout DIR …] [options]
       strokecut queue status [--json]
       strokecut queue retry-failed
       strokecut queue clean

A batch spread over machines: 'queue add' pairs the files exactly as 'strokecut batch' does and
queues one job per pair in Redis (BullMQ); 'strokecut worker' on any machine that sees the same
files at the same paths does them. Paths are stored resolved (absolute). A job's id comes from
its pair's paths, outputs and options, so adding a folder again adds only what is new.

  status        counts (waiting, active, delayed retries, completed, failed), throughput,
                workers, and the failed jobs with their reasons
  retry-failed  puts every failed job back to waiting (after fixing its input)
  clean         removes completed and failed jobs (adding them again then queues them anew;
                workers skip pairs whose outputs are up to date)

Options of every subcommand:
${QUEUE_OPTIONS_HELP}      --json           print one JSON object on stdout
  -q, --quiet          print nothing but errors
  -h, --help           show this help

Options of add — the segment options and outputs of 'strokecut batch':
${SEGMENT_OPTIONS_HELP}  -o, --mask DIR       folder of the masks (default: <k>/); --output is the same
      --cutout DIR     RGBA cut-outs, background transparent
      --overlay DIR    images with the foreground tinted and the strokes drawn
      --soft DIR       8-bit foreground probability maps
      --matte DIR      alpha mattes of the soft edges (8-bit grey)
(--format coco, one JSON over a whole batch, needs 'strokecut batch'.)

Exit status: 0 done; 2 bad usage, some file could not be paired (the rest were queued), or
Redis cannot be reached; 1 an unexpected error.
`;

const COMMON_SPECS = {
  redis: { type: 'string' },
  queue: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

const OUTPUT_KINDS = ['mask', 'cutout', 'overlay', 'soft', 'matte'] as const;
type OutputKind = (typeof OUTPUT_KINDS)[number];

/** Opens the queue on a checked connection; `use` runs with it and everything is closed after. */
async function withQueue<T>(
  target: QueueTarget,
  use: (queue: Queue, client: Redis) => Promise<T>,
): Promise<T> {
  const client = await connectRedis(target);
  const queue = new Queue(target.name, { connection: client });
  queue.on('error', () => {}); // the client's own handler reports connection trouble once
  try {
    return await use(queue, client);
  } finally {
    await queue.close().catch(() => {});
    client.disconnect();
  }
}

export interface QueueAddSummary {
  queue: string;
  redis: string;
  pairs: number;
  added: number;
  /** Pairs whose job was already in the queue (in any state). */
  existing: number;
  unpaired: { image?: string; strokes?: string; code: string; message: string }[];
}

async function runAdd(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { ...SEGMENT_OPTION_SPECS, ...OUTPUT_OPTION_SPECS, ...COMMON_SPECS },
  });
  if (positionals.length !== 2) {
    throw new StrokecutError(
      'USAGE',
      `Expected two folders, IMAGES_DIR and STROKES_DIR; found ${positionals.length}${positionals.length ? ` (${positionals.join(', ')})` : ''}. See strokecut queue --help.`,
    );
  }
  const target = queueTarget(values);
  const imagesDir = resolve(io.cwd, positionals[0]);
  const strokesDir = resolve(io.cwd, positionals[1]);
  const options = parseSegmentOptions(values);
  const maxPixels = parseMaxPixels(values);
  if (parseMaskFormat(values) === 'coco') {
    throw new StrokecutError(
      'USAGE',
      '--format coco writes one JSON over the whole batch, which a queue spread over machines cannot gather; use strokecut batch, or queue mask images.',
    );
  }

  // Output folders: the same rules as batch (each its own folder, none an input folder).
  const given: Partial<Record<OutputKind, string>> = {
    cutout: values.cutout,
    overlay: values.overlay,
    soft: values.soft,
    matte: values.matte,
  };
  const matte = parseMatteOptions(values);
  const othersAsked = OUTPUT_KINDS.some((kind) => kind !== 'mask' && given[kind] !== undefined);
  const maskTarget = maskOption(values);
  if (maskTarget !== undefined || !othersAsked) given.mask = maskTarget ?? String(options.k);
  const dirs = await resolveOutputFolders(
    io.cwd,
    OUTPUT_KINDS,
    given,
    { imagesDir, strokesDir },
    'queued outputs',
  );

  // Redis first: when it cannot be reached, that one line is all the user sees.
  const summary = await withQueue(target, async (queue, client) => {
    const { pairs, unpaired } = await pairFolders(imagesDir, strokesDir);
    for (const bad of unpaired) {
      io.stderr(
        `strokecut: skipped ${[bad.image, bad.strokes].filter(Boolean).join(' + ')}: ${bad.code}: ${bad.message}\n`,
      );
    }
    const encoded = encodeOptions(options);
    const jobs = pairs.map((pair) => {
      const outputs: QueueJobData['outputs'] = {};
      for (const kind of OUTPUT_KINDS) {
        const dir = dirs[kind];
        if (dir !== undefined) outputs[kind] = join(dir, `${pair.outputBase}.png`);
      }
      const data: QueueJobData = {
        image: join(imagesDir, pair.image),
        strokes: join(strokesDir, pair.strokes),
        outputs,
        options: encoded,
        matte,
        maxPixels,
        version: packageVersion(),
      };
      return { name: pair.image, data, id: jobIdOf(data) };
    });
    const bar = createProgress({
      total: jobs.length,
      write: io.stderr,
      enabled: Boolean(io.isTTY) && !values.quiet && jobs.length > 0,
      title: `strokecut queue add (${target.name})`,
    });
    const prefix = `${queue.opts.prefix ?? 'bull'}:${target.name}:`;
    let added = 0;
    // In chunks: one round trip to learn which ids exist, one addBulk for the rest. An add whose
    // id exists is ignored by BullMQ anyway, so two producers at once still add each pair once.
    const CHUNK = 500;
    for (let start = 0; start < jobs.length; start += CHUNK) {
      const chunk = jobs.slice(start, start + CHUNK);
      const exists = await client.pipeline(chunk.map((job) => ['exists', prefix + job.id])).exec();
      const fresh = chunk.filter((_, i) => exists?.[i]?.[1] === 0);
      if (fresh.length > 0) {
        await queue.addBulk(
          fresh.map((job) => ({
            name: job.name,
            data: job.data,
            opts: {
              jobId: job.id,
              attempts: JOB_ATTEMPTS,
              backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
              // Finished jobs stay (small: the paths and settings) so that adding again adds
              // nothing; `queue clean` drops them.
              removeOnComplete: false,
              removeOnFail: false,
            },
          })),
        );
      }
      added += fresh.length;
      for (let i = 0; i < chunk.length; i++) bar.tick();
    }
    bar.done();
    return {
      queue: target.name,
      redis: target.shown,
      pairs: pairs.length,
      added,
      existing: pairs.length - added,
      unpaired: unpaired.map(({ image, strokes, code, message }) => ({ image, strokes, code, message })),
    } satisfies QueueAddSummary;
  });
  const unpaired = summary.unpaired;
  if (values.json) io.stdout(`${JSON.stringify(summary)}\n`);
  else if (!values.quiet) {
    const unpairedText =
      unpaired.length > 0 ? ` and ${unpaired.length} unpaired file${unpaired.length === 1 ? '' : 's'}` : '';
    io.stdout(
      `Queue ${summary.queue} at ${summary.redis}: ${summary.pairs} pair${summary.pairs === 1 ? '' : 's'}${unpairedText}: ${summary.added} added, ${summary.existing} already queued\n`,
    );
  }
  return unpaired.length > 0 ? EXIT.BAD_INPUT : EXIT.OK;
}

export interface QueueStatus {
  queue: string;
  redis: string;
  /** Waiting includes BullMQ's prioritized; delayed are retries in their backoff. */
  counts: { waiting: number; active: number; delayed: number; completed: number; failed: number };
  /** Jobs per second over the most recent completed jobs (up to 200); 0 when fewer than two. */
  jobsPerSecond: number;
  /** Seconds since the last job completed, if any did. */
  lastCompletedSecondsAgo?: number;
  workers: string[];
  failed: { id: string; image?: string; strokes?: string; reason: string; attempts: number }[];
}

const FAILED_SHOWN = 1000;

async function readStatus(queue: Queue, target: QueueTarget): Promise<QueueStatus> {
  const raw = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
  const counts = {
    waiting: (raw.waiting ?? 0) + (raw.prioritized ?? 0),
    active: raw.active ?? 0,
    delayed: raw.delayed ?? 0,
    completed: raw.completed ?? 0,
    failed: raw.failed ?? 0,
  };
  const recent = (await queue.getCompleted(0, 199))
    .map((job) => job.finishedOn)
    .filter((time): time is number => typeof time === 'number');
  const newest = recent.length > 0 ? Math.max(...recent) : undefined;
  const oldest = recent.length > 0 ? Math.min(...recent) : undefined;
  const span = newest !== undefined && oldest !== undefined ? (newest - oldest) / 1000 : 0;
  const workers = (await queue.getWorkers().catch(() => [])).map((info) => info.name ?? info.addr ?? '?');
  const failed = (await queue.getFailed(0, FAILED_SHOWN - 1)).map((job) => {
    const data = job.data as Partial<QueueJobData>;
    return {
      id: String(job.id),
      image: data.image,
      strokes: data.strokes,
      reason: job.failedReason ?? '',
      attempts: job.attemptsMade,
    };
  });
  return {
    queue: target.name,
    redis: target.shown,
    counts,
    jobsPerSecond: recent.length >= 2 && span > 0 ? Math.round(((recent.length - 1) / span) * 100) / 100 : 0,
    lastCompletedSecondsAgo:
      newest === undefined ? undefined : Math.max(0, Math.round((Date.now() - newest) / 1000)),
    workers: [...new Set(workers)].sort(),
    failed,
  };
}

export function formatStatus(status: QueueStatus): string {
  const { counts } = status;
  let text = `Queue ${status.queue} at ${status.redis}: ${counts.waiting} waiting, ${counts.active} active, ${counts.delayed} delayed (retries), ${counts.completed} completed, ${counts.failed} failed\n`;
  if (status.jobsPerSecond > 0)
    text += `Throughput: ${status.jobsPerSecond.toFixed(2)} jobs/s over the latest completed jobs; last one ${status.lastCompletedSecondsAgo} s ago\n`;
  text += `Workers connected: ${status.workers.length}${status.workers.length ? ` (${status.workers.join(', ')})` : ''}\n`;
  if (status.failed.length > 0) {
    text += `Failed (${counts.failed}${counts.failed > status.failed.length ? `, the latest ${status.failed.length} shown` : ''}):\n`;
    for (const job of status.failed) {
      const names = [job.image, job.strokes].filter(Boolean).join(' + ');
      text += `  ${names}: ${job.reason.split('\n')[0]}${job.attempts > 1 ? ` (after ${job.attempts} attempts)` : ''}\n`;
    }
  }
  return text;
}

async function runOperator(
  sub: 'status' | 'retry-failed' | 'clean',
  argv: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: COMMON_SPECS,
  });
  if (positionals.length > 0) {
    throw new StrokecutError(
      'USAGE',
      `strokecut queue ${sub} takes no arguments; found ${positionals.join(' ')}.`,
    );
  }
  const target = queueTarget(values);
  return withQueue(target, async (queue) => {
    if (sub === 'status') {
      const status = await readStatus(queue, target);
      if (values.json) io.stdout(`${JSON.stringify(status)}\n`);
      else if (!values.quiet) io.stdout(formatStatus(status));
      return EXIT.OK;
    }
    if (sub === 'retry-failed') {
      const failed = await queue.getFailedCount();
      await queue.retryJobs({ state: 'failed', count: 1000 });
      if (values.json) io.stdout(`${JSON.stringify({ queue: target.name, retried: failed })}\n`);
      else if (!values.quiet)
        io.stdout(`Queue ${target.name}: ${failed} failed job${failed === 1 ? '' : 's'} back to waiting\n`);
      return EXIT.OK;
    }
    const completed = (await queue.clean(0, 0, 'completed')).length;
    const failed = (await queue.clean(0, 0, 'failed')).length;
    if (values.json) io.stdout(`${JSON.stringify({ queue: target.name, removed: { completed, failed } })}\n`);
    else if (!values.quiet)
      io.stdout(`Queue ${target.name}: removed ${completed} completed and ${failed} failed jobs\n`);
    return EXIT.OK;
  });
}

export async function runQueue(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (
    sub === undefined ||
    sub === '-h' ||
    sub === '--help' ||
    rest.includes('-h') ||
    rest.includes('--help')
  ) {
    io[sub === undefined ? 'stderr' : 'stdout'](QUEUE_USAGE);
    return sub === undefined ? EXIT.BAD_INPUT : EXIT.OK;
  }
  if (sub === 'add') return runAdd(rest, io);
  if (sub === 'status' || sub === 'retry-failed' || sub === 'clean') return runOperator(sub, rest, io);
  throw new StrokecutError(
    'USAGE',
    `Unknown queue subcommand "${sub}"; expected add, status, retry-failed or clean. See strokecut queue --help.`,
  );
}
