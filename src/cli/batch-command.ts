import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// sharp is loaded here, in the main thread, before any worker loads it: that keeps its native
// libraries open for the life of the process (unloading them as a worker exits can crash).
import 'sharp';
import { StrokecutError } from '../core/errors.js';
import type { CocoDataset, CocoEntry } from '../core/outputs/coco-rle.js';
import { cocoDataset } from '../core/outputs/coco-rle.js';
import type { FolderLock } from '../io/folder-lock.js';
import { lockFolder } from '../io/folder-lock.js';
import { removeStaleTemporaryFiles, writeFileAtomic } from '../io/write-image.js';
import { parseIntegerOption } from './args.js';
import type { Pair } from './batch-pairs.js';
import { BATCH_IMAGE_EXTENSIONS, pairFolders } from './batch-pairs.js';
import { CocoJournal } from './coco-journal.js';
import { parseMatteOptions } from './matte-options.js';
import type { CliIo } from './output.js';
import { resolveOutputFolders } from './output-paths.js';
import type { PairJob, PairOutputPaths, PairResult } from './process-pair.js';
import { createProgress } from './progress.js';
import { priorOption, priorPathFor } from './prompt-options.js';
import { EXIT, registerSubcommand } from './run.js';
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
import type { TaskError } from './worker-pool.js';
import { runPool } from './worker-pool.js';

export const BATCH_USAGE = `Usage: strokecut batch IMAGES_DIR STROKES_DIR [-o OUT_DIR] [options]

Segments every image in IMAGES_DIR with its stroke file from STROKES_DIR, on a pool of worker
threads. Pairing: image NAME.EXT goes with NAME-stroke.*, NAME-strokes.* or (when the folders
differ) NAME.* in STROKES_DIR; extensions ${BATCH_IMAGE_EXTENSIONS.join(' ')}; hidden files are
ignored, sub-folders are not searched. Each output is named after the stroke file, as
<stroke file name>.png, in its own folder. Files that cannot be paired and pairs that fail are
reported and skipped; the rest complete. Pairs whose outputs are all newer than both inputs are
skipped (up to date) unless --force, so an interrupted batch is simply run again.

Options:
${SEGMENT_OPTIONS_HELP}
Outputs (masks are written when asked for, or when no other output is):
  -o, --mask DIR       folder of the masks (default: <k>/); --output is the same
      --format coco    instead of mask images, one COCO JSON (compressed RLE) for the whole
                       batch: DIR/coco.json, or the file itself when -o ends in .json
      --cutout DIR     RGBA cut-outs, background transparent
      --overlay DIR    images with the foreground tinted and the strokes drawn
      --soft DIR       8-bit foreground probability maps
      --matte DIR      alpha mattes of the soft edges (8-bit grey)

  -j, --jobs N         worker threads (default: one per core, here ${availableParallelism()})
      --force          redo pairs whose outputs are up to date
      --json           print one JSON summary on stdout
  -q, --quiet          print nothing but errors (no progress bar)
  -h, --help           show this help

Exit status: 0 all pairs done or up to date; 2 some input was bad (the rest was done);
1 an unexpected error.
`;

/** The outcome of one pair or unpaired file, as the summary reports it. */
export interface BatchItem {
  image?: string;
  strokes?: string;
  status: 'written' | 'up-to-date' | 'failed';
  /** Output files (paths as given on the command line) written or found up to date. */
  outputs?: string[];
  foregroundFraction?: number;
  milliseconds?: number;
  error?: { code: string; message: string };
}

export interface BatchSummary {
  /** Image/stroke pairs found. */
  pairs: number;
  /** Files that could not be paired (counted in `failed` too). */
  unpaired: number;
  written: number;
  upToDate: number;
  failed: number;
  jobs: number;
  seconds: number;
  /** Pairs written per second of wall time (0 when none were). */
  imagesPerSecond: number;
  /** CPU seconds the process spent meanwhile, all threads: over `seconds`, the cores actually used. */
  cpuSeconds: number;
  outputs: { mask?: string; coco?: string; cutout?: string; overlay?: string; soft?: string; matte?: string };
  items: BatchItem[];
}

const OUTPUT_KINDS = ['mask', 'cutout', 'overlay', 'soft', 'matte'] as const;
type OutputKind = (typeof OUTPUT_KINDS)[number];

async function mtime(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.mtimeMs;
}

/** Reads the COCO JSON of an earlier run, by image file name; undefined when absent or unreadable. */
async function previousCoco(
  path: string,
): Promise<{ mtime: number; entries: Map<string, CocoEntry> } | undefined> {
  const time = await mtime(path);
  if (time === undefined) return undefined;
  try {
    const dataset = JSON.parse(await readFile(path, 'utf8')) as CocoDataset;
    const entries = new Map<string, CocoEntry>();
    for (const annotation of dataset.annotations) {
      const image = dataset.images.find((candidate) => candidate.id === annotation.image_id);
      if (!image) continue;
      entries.set(image.file_name, {
        fileName: image.file_name,
        strokesFileName: image.strokes_file_name,
        width: image.width,
        height: image.height,
        rle: annotation.segmentation,
        area: annotation.area,
        bbox: annotation.bbox,
      });
    }
    return { mtime: time, entries };
  } catch {
    return undefined; // not ours or damaged: redo everything and write a fresh one
  }
}

export async function runBatch(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout(BATCH_USAGE);
    return EXIT.OK;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...SEGMENT_OPTION_SPECS,
      ...OUTPUT_OPTION_SPECS,
      jobs: { type: 'string', short: 'j' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  if (positionals.length !== 2) {
    throw new StrokecutError(
      'USAGE',
      `Expected two folders, IMAGES_DIR and STROKES_DIR; found ${positionals.length}${positionals.length ? ` (${positionals.join(', ')})` : ''}. See strokecut batch --help.`,
    );
  }
  const [imagesArg, strokesArg] = positionals;
  const imagesDir = resolve(io.cwd, imagesArg);
  const strokesDir = resolve(io.cwd, strokesArg);
  const options = parseSegmentOptions(values);
  const priorArg = priorOption(values);
  const priorDir = priorArg === undefined ? undefined : resolve(io.cwd, priorArg);
  const maxPixels = parseMaxPixels(values);
  const format = parseMaskFormat(values);
  const jobs =
    values.jobs === undefined ? availableParallelism() : parseIntegerOption('--jobs', values.jobs, 1, 256);

  // Output folders, as given (for messages) and absolute.
  const given: Partial<Record<OutputKind, string>> = {
    cutout: values.cutout,
    overlay: values.overlay,
    soft: values.soft,
    matte: values.matte,
  };
  const matte = parseMatteOptions(values);
  const maskTarget = maskOption(values);
  const othersAsked = OUTPUT_KINDS.some((kind) => kind !== 'mask' && given[kind] !== undefined);
  const wantMask = maskTarget !== undefined || values.format !== undefined || !othersAsked;
  let cocoArg: string | undefined;
  if (wantMask) {
    const target = maskTarget ?? String(options.k);
    if (format === 'coco')
      cocoArg = extname(target).toLowerCase() === '.json' ? target : join(target, 'coco.json');
    else given.mask = target;
  }
  const dirs = await resolveOutputFolders(
    io.cwd,
    OUTPUT_KINDS,
    given,
    { imagesDir, strokesDir },
    'batch outputs',
  );
  const cocoPath = cocoArg === undefined ? undefined : resolve(io.cwd, cocoArg);

  // One batch at a time per output folder: a second one would redo the same pairs meanwhile.
  const locks: FolderLock[] = [];
  try {
    const lockDirs = new Map<string, string>();
    for (const kind of OUTPUT_KINDS) {
      if (dirs[kind] !== undefined) lockDirs.set(dirs[kind] as string, given[kind] as string);
    }
    if (cocoPath !== undefined && cocoArg !== undefined) {
      lockDirs.set(dirname(cocoPath), dirname(cocoArg));
    }
    for (const [dir, shown] of lockDirs) locks.push(await lockFolder(dir, shown));
    return await runLockedBatch(io, values, {
      imagesDir,
      strokesDir,
      options,
      matte,
      priorDir,
      maxPixels,
      jobs,
      dirs,
      cocoPath,
    });
  } finally {
    for (const lock of locks.reverse()) await lock.release().catch(() => {});
  }
}

interface BatchPlan {
  imagesDir: string;
  strokesDir: string;
  options: PairJob['options'];
  matte: PairJob['matte'];
  /** --prior DIR: a mask per image, named like it. */
  priorDir: string | undefined;
  maxPixels: number;
  jobs: number;
  dirs: Partial<Record<OutputKind, string>>;
  cocoPath: string | undefined;
}

async function runLockedBatch(
  io: CliIo,
  values: { force?: boolean; json?: boolean; quiet?: boolean },
  plan: BatchPlan,
): Promise<number> {
  const { imagesDir, strokesDir, options, matte, priorDir, maxPixels, jobs, dirs, cocoPath } = plan;
  const { pairs, unpaired } = await pairFolders(imagesDir, strokesDir);
  const show = (path: string) => relative(io.cwd, path) || '.';
  const outputsOf = (pair: Pair): PairOutputPaths => {
    const outputs: PairOutputPaths = {};
    for (const kind of OUTPUT_KINDS) {
      const dir = dirs[kind];
      if (dir !== undefined) outputs[kind] = join(dir, `${pair.outputBase}.png`);
    }
    return outputs;
  };

  // Which pairs are up to date: every output exists and is newer than both inputs.
  const previous = cocoPath !== undefined && !values.force ? await previousCoco(cocoPath) : undefined;
  // Pairs a killed COCO batch finished before it could write the data set.
  const journal = cocoPath !== undefined ? new CocoJournal(cocoPath) : undefined;
  if (journal && values.force) await journal.clear();
  const journaled = journal && !values.force ? await journal.read() : new Map();
  const items: BatchItem[] = [];
  const reused = new Map<number, CocoEntry>();
  const todo: { item: number; job: PairJob }[] = [];
  for (const pair of pairs) {
    const image = join(imagesDir, pair.image);
    const strokes = join(strokesDir, pair.strokes);
    const outputs = outputsOf(pair);
    const files = Object.values(outputs) as string[];
    const item: BatchItem = {
      image: pair.image,
      strokes: pair.strokes,
      status: 'up-to-date',
      outputs: files.map(show),
    };
    const index = items.push(item) - 1;
    let fresh = !values.force;
    if (fresh) {
      const [imageTime, strokesTime] = await Promise.all([mtime(image), mtime(strokes)]);
      const newest = Math.max(imageTime ?? Number.POSITIVE_INFINITY, strokesTime ?? Number.POSITIVE_INFINITY);
      const times = await Promise.all(files.map(mtime));
      fresh = times.every((time) => time !== undefined && time > newest);
      if (fresh && cocoPath !== undefined) {
        const logged = journaled.get(pair.image);
        const entry = previous?.entries.get(pair.image);
        if (logged && logged.mtime > newest && logged.entry.strokesFileName === pair.strokes) {
          reused.set(index, logged.entry);
        } else if (previous && previous.mtime > newest && entry?.strokesFileName === pair.strokes) {
          reused.set(index, entry);
        } else {
          fresh = false;
        }
      }
    }
    if (!fresh) {
      item.status = 'written';
      todo.push({
        item: index,
        job: {
          image,
          strokes,
          options,
          prior: priorDir === undefined ? undefined : priorPathFor(priorDir, pair.image),
          outputs,
          matte,
          wantCoco: cocoPath !== undefined,
          maxPixels,
        },
      });
    }
  }
  for (const bad of unpaired) {
    items.push({
      image: bad.image,
      strokes: bad.strokes,
      status: 'failed',
      error: { code: bad.code, message: bad.message },
    });
  }
  // Tidy temporary files of an interrupted run (harmless if left, but clutter).
  for (const dir of [...Object.values(dirs), ...(cocoPath ? [dirname(cocoPath)] : [])]) {
    await removeStaleTemporaryFiles(dir);
  }

  const bar = createProgress({
    total: todo.length,
    write: io.stderr,
    enabled: Boolean(io.isTTY) && !values.quiet && todo.length > 0,
    title: 'strokecut batch',
  });
  // Each failure is told as it happens, on its own line (the bar is cleared first and redraws).
  const report = (item: BatchItem) => {
    bar.done();
    io.stderr(
      `strokecut: skipped ${[item.image, item.strokes].filter(Boolean).join(' + ')}: ${item.error?.code}: ${item.error?.message}\n`,
    );
  };
  for (const item of items) if (item.status === 'failed') report(item);

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const results = new Map<number, PairResult>();
  const journalWrites: Promise<void>[] = [];
  let unexpected = false;
  await runPool<PairJob, PairResult>(
    new URL('./batch-worker.js', import.meta.url),
    todo.map((entry) => entry.job),
    jobs,
    (index, outcome) => {
      const itemIndex = todo[index].item;
      const item = items[itemIndex];
      if (outcome.ok) {
        results.set(itemIndex, outcome.value);
        const entry = outcome.value.coco;
        // Best effort: without its journal entry a pair is only done again after a kill.
        if (journal && entry) journalWrites.push(journal.add(entry).catch(() => {}));
        item.foregroundFraction = outcome.value.stats.foregroundFraction;
        item.milliseconds = Math.round(outcome.value.timings.total);
      } else {
        const error: TaskError = outcome.error;
        if (!error.expected) unexpected = true;
        item.status = 'failed';
        item.outputs = undefined;
        item.error = {
          code: error.code,
          message: error.expected ? error.message : (error.stack ?? error.message),
        };
        report(item);
      }
      bar.tick();
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  bar.done();

  if (cocoPath !== undefined) {
    const entries: CocoEntry[] = [];
    items.forEach((_, index) => {
      const entry = results.get(index)?.coco ?? reused.get(index);
      if (entry) entries.push(entry);
    });
    const text = `${JSON.stringify(cocoDataset(entries, packageVersion()))}\n`;
    const old = await readFile(cocoPath, 'utf8').catch(() => undefined);
    if (text !== old) await writeFileAtomic(cocoPath, Buffer.from(text));
    await Promise.all(journalWrites);
    await journal?.clear();
    for (const [index, item] of items.entries()) {
      if (item.status !== 'failed' && (results.has(index) || reused.has(index)))
        item.outputs = [...(item.outputs ?? []), show(cocoPath)];
    }
  }

  const written = items.filter((item) => item.status === 'written').length;
  const summary: BatchSummary = {
    pairs: pairs.length,
    unpaired: unpaired.length,
    written,
    upToDate: items.filter((item) => item.status === 'up-to-date').length,
    failed: items.filter((item) => item.status === 'failed').length,
    jobs: Math.max(1, Math.min(jobs, todo.length)),
    seconds: Math.round(seconds * 1000) / 1000,
    imagesPerSecond: written > 0 && seconds > 0 ? Math.round((written / seconds) * 100) / 100 : 0,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    outputs: {
      ...Object.fromEntries(
        OUTPUT_KINDS.filter((kind) => dirs[kind]).map((kind) => [kind, show(dirs[kind] as string)]),
      ),
      ...(cocoPath ? { coco: show(cocoPath) } : {}),
    },
    items,
  };
  if (values.json) {
    io.stdout(`${JSON.stringify(summary)}\n`);
  } else if (!values.quiet) {
    io.stdout(formatSummary(summary));
  }
  if (unexpected) return EXIT.UNEXPECTED;
  return summary.failed > 0 ? EXIT.BAD_INPUT : EXIT.OK;
}

export function formatSummary(summary: BatchSummary): string {
  const where = Object.entries(summary.outputs)
    .map(([kind, path]) => `${kind === 'coco' ? 'COCO JSON' : `${kind}s`} in ${path}`)
    .join(', ');
  const unpaired =
    summary.unpaired > 0 ? ` and ${summary.unpaired} unpaired file${summary.unpaired === 1 ? '' : 's'}` : '';
  let text = `Batch: ${summary.pairs} pair${summary.pairs === 1 ? '' : 's'}${unpaired}: ${summary.written} written, ${summary.upToDate} up to date, ${summary.failed} failed`;
  if (summary.written > 0)
    text += ` · ${summary.seconds.toFixed(1)} s, ${summary.imagesPerSecond.toFixed(2)} images/s on ${summary.jobs} thread${summary.jobs === 1 ? '' : 's'}`;
  text += `\n${where ? `Outputs: ${where}\n` : ''}`;
  const failed = summary.items.filter((item) => item.status === 'failed');
  if (failed.length > 0) {
    text += `Failed (${failed.length}):\n`;
    for (const item of failed) {
      const names = [item.image, item.strokes].filter(Boolean).join(' + ');
      text += `  ${names}: ${item.error?.code}: ${item.error?.message.split('\n')[0]}\n`;
    }
  }
  return text;
}

registerSubcommand('batch', runBatch);
