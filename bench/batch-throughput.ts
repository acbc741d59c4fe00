/**
 * Batch throughput: images per second of `strokecut batch` on a folder of one-megapixel pairs,
 * with 1 and 2 worker threads, run side by side (interleaved repeats, medians), so the ratio holds
 * up on a busy machine even when the absolute figures do not.
 *
 *   npm run bench:batch                      # 100 pairs, 3 repeats, prints the table
 *   npm run bench:batch -- --write           # and rewrites it in docs/performance.md
 *   npm run bench:batch -- --pairs 20 --repeats 1
 *
 * The pairs are made at bench time in a temporary folder from the bundled example
 * (examples/chelsea.png + chelsea-stroke.png) scaled to about 1 MP, each mirrored and brightened
 * differently so no two are identical. Each run is the real CLI as a child process with --force.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeDocTable } from './doc-tables.js';
import { writeExamplePairs } from './example-pairs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const START = '<!-- bench:batch:start -->';
const END = '<!-- bench:batch:end -->';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '100' },
    repeats: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '1,2' },
    write: { type: 'boolean' },
  },
});
const pairCount = Number(values.pairs);
const repeats = Number(values.repeats);
const jobList = String(values.jobs).split(',').map(Number);

interface Run {
  jobs: number;
  imagesPerSecond: number;
  /** CPU seconds per second of the pool's wall time: cores actually used. */
  cores: number;
  wallSeconds: number;
}

function runBatch(dir: string, jobs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [CLI, 'batch', 'in', 'in', '-o', 'out', '--force', '--json', '--jobs', String(jobs)],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`strokecut batch exited with ${code}`));
      const summary = JSON.parse(stdout) as {
        written: number;
        imagesPerSecond: number;
        seconds: number;
        cpuSeconds: number;
      };
      if (summary.written !== pairCount)
        return reject(new Error(`expected ${pairCount} written, got ${summary.written}`));
      resolve({
        jobs,
        imagesPerSecond: summary.imagesPerSecond,
        cores: summary.cpuSeconds / summary.seconds,
        wallSeconds: (performance.now() - t0) / 1000,
      });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const loadStart = loadavg()[0];
const dir = await mkdtemp(join(tmpdir(), 'strokecut-bench-batch-'));
try {
  await mkdir(join(dir, 'in'));
  const size = await writeExamplePairs(join(dir, 'in'), pairCount, 1);
  console.error(
    `Made ${pairCount} pairs of ${size.width}×${size.height} in ${dir}; ${repeats} repeat(s) of jobs ${jobList.join(', ')}…`,
  );
  const runs: Run[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const jobs of jobList) {
      const run = await runBatch(dir, jobs);
      console.error(
        `  repeat ${r + 1}, ${jobs} job(s): ${run.imagesPerSecond.toFixed(2)} images/s (${run.wallSeconds.toFixed(1)} s wall, ${run.cores.toFixed(2)} cores busy, load ${loadavg()[0].toFixed(2)})`,
      );
      runs.push(run);
    }
  }
  const baseline = median(runs.filter((run) => run.jobs === jobList[0]).map((run) => run.imagesPerSecond));
  const rows = jobList.map((jobs) => {
    const mine = runs.filter((run) => run.jobs === jobs);
    const ips = median(mine.map((run) => run.imagesPerSecond));
    return `| ${jobs} | ${ips.toFixed(2)} | ${(100 / ips).toFixed(1)} | ${(ips / baseline).toFixed(2)}× | ${median(mine.map((run) => run.cores)).toFixed(2)} | ${median(mine.map((run) => run.wallSeconds)).toFixed(1)} |`;
  });
  const table = [
    `Batch throughput, ${pairCount} pairs of ${size.width}×${size.height} (${((size.width * size.height) / 1e6).toFixed(2)} MP), default options (k = 70), mask output only; median of ${repeats} interleaved run(s) on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}:`,
    '',
    '| jobs | images/s | s per 100 pairs | speed-up | cores busy | wall s (incl. start-up) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:batch -- --write\`; 1-minute load average ${loadStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end. "Cores busy" is the batch process's CPU time over its wall time: below the job count means the machine did not give it the cores.`,
  ].join('\n');
  console.log(table);
  if (values.write) {
    writeDocTable('performance.md', START, END, table);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
