/**
 * What `strokecut queue` and `strokecut worker` share: the Redis connection (one clear line when it
 * cannot be had, never an endless reconnect log), the job's data and id, the resume rule and how a
 * pair's failure becomes a BullMQ failure.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { StrokecutError } from '../core/errors.js';
import type { SegmentOptions } from '../core/segment.js';
import type { PairJob, PairOutputPaths } from './process-pair.js';
import type { TaskError } from './worker-pool.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_QUEUE_NAME = 'strokecut';

/** Retries of a job whose failure was unexpected (a crash, a full disk): BullMQ attempts in all. */
export const JOB_ATTEMPTS = 3;
/** First retry after this many ms, then doubling (exponential backoff). */
export const JOB_BACKOFF_MS = 2000;

/**
 * A worker's lock on each of its jobs lasts this long and is renewed at half of it by the worker's
 * main thread, which does nothing but wait on the threads and Redis, so renewals are not starved
 * by the work. When a worker dies, its jobs go back to waiting once the lock has expired, at the
 * next stalled check (every `stalledInterval`, a quarter of the lock, by every worker): within
 * about 1.25 × this. Shorter locks recover sooner but lose the job to another worker on any Redis
 * stall longer than the lock.
 */
export const DEFAULT_LOCK_MS = 20_000;

export const QUEUE_OPTIONS_HELP = `      --redis URL      the Redis server (default $STROKECUT_REDIS, else ${DEFAULT_REDIS_URL})
      --queue NAME     the queue's name (default ${DEFAULT_QUEUE_NAME})
`;

/** What a queued job carries: one pair, fully resolved, plus the settings it is to be cut with. */
export interface QueueJobData {
  /** Absolute paths: machines share storage at the same mount. */
  image: string;
  strokes: string;
  outputs: Omit<PairOutputPaths, 'cocoJson'>;
  /** SegmentOptions as JSON (Infinity, which JSON lacks, as the string "Infinity"). */
  options: Record<string, unknown>;
  maxPixels: number;
  /** strokecut's version that queued it (shown by status; workers of another version still run it). */
  version: string;
}

/** A completed job's return value. */
export interface QueueJobResult {
  status: 'written' | 'up-to-date';
  worker: string;
  milliseconds?: number;
  foregroundFraction?: number;
}

/** Where the CLI's --redis and --queue point, from the flags, then the environment, then defaults. */
export interface QueueTarget {
  url: string;
  /** The URL with any password masked, for messages. */
  shown: string;
  name: string;
}

export function queueTarget(
  values: { redis?: string; queue?: string },
  env: NodeJS.ProcessEnv = process.env,
): QueueTarget {
  const url = values.redis ?? (env.STROKECUT_REDIS || DEFAULT_REDIS_URL);
  const from =
    values.redis !== undefined ? '--redis' : env.STROKECUT_REDIS ? '$STROKECUT_REDIS' : 'the default';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StrokecutError('USAGE', `${from} must be a URL like redis://host:6379; found "${url}".`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new StrokecutError(
      'USAGE',
      `${from} must be a redis:// or rediss:// URL; found "${url}" (${parsed.protocol.replace(':', '')}).`,
    );
  }
  if (parsed.password) parsed.password = '***';
  const name = values.queue ?? DEFAULT_QUEUE_NAME;
  // BullMQ joins key parts with ':'; a name made of letters, digits and -_. stays one part.
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) {
    throw new StrokecutError(
      'USAGE',
      `--queue must be 1–100 letters, digits, '.', '_' or '-'; found "${name}".`,
    );
  }
  return { url, shown: parsed.toString(), name };
}

/**
 * Connects to Redis once, without retrying: refused, unknown host, wrong password, not Redis —
 * one StrokecutError. The returned client then reconnects on its own (with backoff, quietly) if the
 * server goes away later, as a long-running worker needs; `onError` hears each distinct error once.
 * maxRetriesPerRequest is null as BullMQ's workers require.
 */
export async function connectRedis(
  target: QueueTarget,
  onError: (message: string) => void = () => {},
): Promise<Redis> {
  let connected = false;
  let lastError = '';
  let connectError: Error | undefined;
  const client = new Redis(target.url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    retryStrategy: (times) => (connected ? Math.min(1000 * 2 ** Math.min(times, 5), 20_000) : null),
  });
  client.on('error', (error: Error) => {
    if (!connected) connectError ??= error;
    if (!connected || error.message === lastError) return;
    lastError = error.message;
    onError(`Redis at ${target.shown}: ${error.message} (reconnecting)`);
  });
  client.on('ready', () => {
    lastError = '';
  });
  try {
    await client.connect();
    await client.ping();
    connected = true;
    return client;
  } catch (error) {
    client.disconnect();
    // The socket's own error says why ("Connection is closed" is only the aftermath).
    const cause = (connectError ?? error) as NodeJS.ErrnoException;
    const reason =
      cause.code === 'ECONNREFUSED'
        ? 'connection refused (is redis-server running there?)'
        : cause.code === 'ENOTFOUND' || cause.code === 'EAI_AGAIN'
          ? 'unknown host'
          : cause.code === 'ETIMEDOUT' || /timeout/i.test(cause.message)
            ? 'no answer within 5 s'
            : /RESP|Protocol error/i.test(cause.message)
              ? 'what answered there is not a Redis server'
              : cause.message.replace(/\.$/, '');
    throw new StrokecutError('QUEUE_UNAVAILABLE', `Cannot reach Redis at ${target.shown}: ${reason}.`);
  }
}

/** Options as JSON: --full-resolution's workingPixels Infinity survives the trip. */
export function encodeOptions(options: SegmentOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    out[key] = value === Number.POSITIVE_INFINITY ? 'Infinity' : value;
  }
  return out;
}

export function decodeOptions(options: Record<string, unknown>): SegmentOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options))
    out[key] = value === 'Infinity' ? Number.POSITIVE_INFINITY : value;
  return out as SegmentOptions;
}

/** JSON with object keys sorted, so equal data always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The job id: a hash of the pair's resolved paths, outputs and settings (not of the version), so
 * queueing the same folder twice adds nothing while different outputs or options are new jobs.
 * BullMQ ignores an add whose id exists.
 */
export function jobIdOf(data: QueueJobData): string {
  const { version: _, ...identity } = data;
  return `pair-${createHash('sha256').update(canonical(identity)).digest('hex').slice(0, 32)}`;
}

export function pairJobOf(data: QueueJobData): PairJob {
  return {
    image: data.image,
    strokes: data.strokes,
    options: decodeOptions(data.options),
    outputs: data.outputs,
    maxPixels: data.maxPixels,
  };
}

async function mtime(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.mtimeMs;
}

/** Batch's resume rule: every output exists and is newer than both inputs. */
export async function isUpToDate(data: QueueJobData): Promise<boolean> {
  const [image, strokes] = await Promise.all([mtime(data.image), mtime(data.strokes)]);
  if (image === undefined || strokes === undefined) return false;
  const newest = Math.max(image, strokes);
  const files = Object.values(data.outputs).filter((path): path is string => typeof path === 'string');
  const times = await Promise.all(files.map(mtime));
  return files.length > 0 && times.every((time) => time !== undefined && time > newest);
}

/**
 * A failed pair as BullMQ should see it: bad input (what exits 2 in the single command) fails the
 * job at once, for good; anything else is an Error, retried with backoff.
 */
export function jobFailure(error: TaskError): Error {
  if (error.expected) return new UnrecoverableError(`${error.code}: ${error.message}`);
  const failure = new Error(`${error.code}: ${error.message}`);
  if (error.stack) failure.stack = error.stack;
  return failure;
}

/** How a worker names itself in Redis (BullMQ's processedBy): host and process, to find it. */
export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}
