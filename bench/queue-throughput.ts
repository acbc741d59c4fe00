/**
 * Queue overhead: `strokecut worker` processes (each --concurrency 1) against `strokecut batch
 * --jobs N` on the same pairs, 1 and 2 of each, interleaved in one run (medians of the repeats),
 * against a private redis-server on a free loopback port. Then what Redis itself spends per job:
 * commands (INFO commandstats) and the server's CPU time, measured on a run of empty jobs.
 *
 *   npm run bench:queue                               # 60 pairs of 1 MP, 3 repeats; prints the table
 *   npm run bench:queue -- --write                    # and rewrites it in docs/performance.md
 *   npm run bench:queue -- --pairs 20 --repeats 1 --megapixels 0.25
 *
 * Pairs are made as bench/batch-throughput.ts makes them (the bundled example scaled, each mirrored
 * and brightened differently). Each batch run uses --force; each queue run its own queue and
 * output folder, so no run finds another's outputs up to date. Times are wall times of the real CLI
 * as child processes, start-up included on both sides; the queue's also include `queue add`.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { startRedis } from '../src/testing/redis.js';
import { writeDocTable } from './doc-tables.js';
import { writeExamplePairs } from './example-pairs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const START = '<!-- bench:queue:start -->';
const END = '<!-- bench:queue:end -->';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '60' },
    repeats: { type: 'string', default: '3' },
    megapixels: { type: 'string', default: '1' },
    'empty-jobs': { type: 'string', default: '5000' },
    write: { type: 'boolean' },
  },
});
const pairCount = Number(values.pairs);
const repeats = Number(values.repeats);
const megapixels = Number(values.megapixels);
const emptyJobs = Number(values['empty-jobs']);

function cli(args: string[], cwd: string): Promise<{ stdout: string; seconds: number }> {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`strokecut ${args.join(' ')} exited with ${code}`));
      else resolveRun({ stdout, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const line of (await client.info('commandstats')).split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (match) calls.set(match[1], Number(match[2]));
  }
  return calls;
}

function diffCalls(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, n] of after) {
    const d = n - (before.get(name) ?? 0);
    if (d > 0) out.set(name, d);
  }
  return out;
}

const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0);

async function redisCpuSeconds(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_sys') + field('used_cpu_user');
}

interface Run {
  kind: 'batch' | 'queue';
  processes: number;
  seconds: number;
  addSeconds?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const loadStart = loadavg()[0];
const dir = await mkdtemp(join(tmpdir(), 'strokecut-bench-queue-'));
const redis = await startRedis();
const client = new Redis(redis.url, { maxRetriesPerRequest: null });
try {
  await mkdir(join(dir, 'in'));
  const size = await writeExamplePairs(join(dir, 'in'), pairCount, megapixels);
  console.error(
    `Made ${pairCount} pairs of ${size.width}×${size.height} in ${dir}; Redis at ${redis.url}; ${repeats} repeat(s)…`,
  );
  const runs: Run[] = [];
  let opsAdd: Map<string, number> | undefined;
  let opsWork: Map<string, number> | undefined;
  for (let r = 0; r < repeats; r++) {
    for (const processes of [1, 2]) {
      const batch = await cli(
        ['batch', 'in', 'in', '-o', 'out-batch', '--force', '--quiet', '--jobs', String(processes)],
        dir,
      );
      runs.push({ kind: 'batch', processes, seconds: batch.seconds });

      const name = `bench-${r}-${processes}`;
      const redisArgs = ['--redis', redis.url, '--queue', name];
      const before = await commandCalls(client);
      const add = await cli(['queue', 'add', 'in', 'in', '-o', `out-${name}`, '--quiet', ...redisArgs], dir);
      const afterAdd = await commandCalls(client);
      const t0 = performance.now();
      const workers = await Promise.all(
        Array.from({ length: processes }, () =>
          cli(['worker', '--until-empty', '--concurrency', '1', '--json', ...redisArgs], dir),
        ),
      );
      const seconds = (performance.now() - t0) / 1000;
      const afterWork = await commandCalls(client);
      const written = workers.reduce(
        (sum, w) => sum + (JSON.parse(w.stdout) as { written: number }).written,
        0,
      );
      if (written !== pairCount)
        throw new Error(`expected ${pairCount} written by the workers, got ${written}`);
      if (processes === 1 && r === 0) {
        opsAdd = diffCalls(before, afterAdd);
        opsWork = diffCalls(afterAdd, afterWork);
      }
      runs.push({ kind: 'queue', processes, seconds: add.seconds + seconds, addSeconds: add.seconds });
      await rm(join(dir, `out-${name}`), { recursive: true, force: true });
      console.error(
        `  repeat ${r + 1}, ${processes}: batch ${batch.seconds.toFixed(1)} s, queue ${(add.seconds + seconds).toFixed(1)} s (add ${add.seconds.toFixed(1)} s), load ${loadavg()[0].toFixed(2)}`,
      );
    }
  }

  // What Redis spends per job, away from image work: empty jobs, added in bulk, done by one
  // in-process worker at concurrency 50 (the same scripts run; only the processor is empty).
  const emptyName = 'bench-empty';
  const emptyQueue = new Queue(emptyName, { connection: client });
  const cpu0 = await redisCpuSeconds(client);
  const calls0 = await commandCalls(client);
  const e0 = performance.now();
  for (let start = 0; start < emptyJobs; start += 500) {
    await emptyQueue.addBulk(
      Array.from({ length: Math.min(500, emptyJobs - start) }, (_, i) => ({
        name: 'empty',
        data: { image: `/data/images/${start + i}.png`, strokes: `/data/strokes/${start + i}-stroke.png` },
        opts: { jobId: `empty-${start + i}`, attempts: 3, removeOnComplete: false, removeOnFail: false },
      })),
    );
  }
  let doneCount = 0;
  const allDone = new Promise<void>((resolveDone) => {
    const worker = new Worker(emptyName, async () => ({ status: 'written' }), {
      connection: client,
      concurrency: 50,
    });
    worker.on('completed', () => {
      if (++doneCount === emptyJobs) void worker.close().then(() => resolveDone());
    });
  });
  await allDone;
  const emptySeconds = (performance.now() - e0) / 1000;
  const cpuPerJob = ((await redisCpuSeconds(client)) - cpu0) / emptyJobs;
  const emptyOps = total(diffCalls(calls0, await commandCalls(client))) / emptyJobs;
  await emptyQueue.close();

  const row = (kind: 'batch' | 'queue', processes: number) =>
    median(runs.filter((run) => run.kind === kind && run.processes === processes).map((run) => run.seconds));
  const lines = [1, 2].map((processes) => {
    const b = row('batch', processes);
    const q = row('queue', processes);
    const mine = runs.filter((run) => run.kind === 'queue' && run.processes === processes);
    const add = median(mine.map((run) => run.addSeconds ?? 0));
    const work = median(mine.map((run) => run.seconds - (run.addSeconds ?? 0)));
    return `| ${processes} | ${b.toFixed(1)} | ${add.toFixed(1)} | ${work.toFixed(1)} | ${(pairCount / b).toFixed(2)} | ${(pairCount / q).toFixed(2)} | ${(((q - b) * 1000) / pairCount).toFixed(0)} | ${(q / b).toFixed(3)} | ${(work / b).toFixed(3)} |`;
  });
  const topOps = (calls: Map<string, number> | undefined) =>
    [...(calls ?? new Map()).entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, n]) => `${name} ${(n / pairCount).toFixed(1)}`)
      .join(', ');
  const table = [
    `Queue against batch, ${pairCount} pairs of ${size.width}×${size.height} (${((size.width * size.height) / 1e6).toFixed(2)} MP), default options, mask output; median of ${repeats} interleaved run(s) on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, one private redis-server on the same machine:`,
    '',
    '| N (batch --jobs N; N workers × --concurrency 1) | batch s | queue add s | workers s | batch pairs/s | queue pairs/s | queue overhead per job, ms | (add + workers) / batch | workers / batch |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...lines,
    '',
    `Redis commands per job (counting those BullMQ's Lua scripts run; INFO commandstats): queue add ${(total(opsAdd ?? new Map()) / pairCount).toFixed(1)} (${topOps(opsAdd)}); worker ${(total(opsWork ?? new Map()) / pairCount).toFixed(1)} (${topOps(opsWork)}), lock renewals and stalled checks included.`,
    `Empty jobs (${emptyJobs}, added in bulk, one worker at concurrency 50): ${(emptyJobs / emptySeconds).toFixed(0)} jobs/s end to end, ${emptyOps.toFixed(1)} commands and ${(cpuPerJob * 1e6).toFixed(0)} µs of redis-server CPU per job — about ${(1 / cpuPerJob).toFixed(0)} jobs/s for one Redis core.`,
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:queue${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`; 1-minute load average ${loadStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end.`,
  ].join('\n');
  console.log(table);
  if (values.write) {
    writeDocTable('performance.md', START, END, table);
  }
} finally {
  client.disconnect();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}
