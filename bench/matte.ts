/**
 * `npm run bench:matte`: soft edges on scenes whose alpha and foreground colours are known exactly
 * (src/testing/matte-scenes.ts: hair strands, a soft disc, a motion-blurred square, each over a
 * smooth gradient and a sharp texture), from four binary masks: the true alpha thresholded at ½
 * ("truth"), that mask eroded by 2 px, shifted 2 px sideways, and strokecut's own cut of the scene
 * from automatic strokes ("strokecut"). SAD (/1000) over the matte's unknown band of: the binary
 * mask as alpha, a Gaussian feather (σ = 1) and the matte; colour error (mean α*-weighted |F − F*|,
 * 0–255) of the observed colours and the estimated ones. Then the time and memory of matte() at 1
 * and 12 megapixels (median of --rounds runs).
 *
 * The per-scene SAD is over the matte's own unknown band around the given mask, so it hides what a
 * band leaves out (a soft edge wider than the band); the summary adds the SAD over a fixed region,
 * the band of three times the default edge radius around the given mask, the same whatever the
 * matte's options, for comparing band widths.
 *
 * Usage: node dist/bench/matte.js [--size 640x480] [--rounds 3] [--no-large] [--no-accuracy]
 *   [--tolerance T] [--preconditioner dic|jacobi] [--sweeps N] [--edge-radius R] [--band-growth N]
 *   [--growth-threshold T] [--compare OTHER_DIST] [--opencv]
 *   (matte options; defaults: matte's)
 *
 * --compare OTHER_DIST: the large scenes also run matte() from another build (e.g. a copy of main's
 * dist/), alternating with this one in the same process (the order flips every round), and print
 * both CPU medians, their ratio and whether alpha and colours are byte-identical.
 *
 * --opencv: the accuracy scenes also run OpenCV's information-flow matting (cv2.alphamat.infoFlow,
 * bench/opencv-alphamat.py with Debian's /usr/bin/python3 and python3-opencv) from the same binary
 * mask: once with a trimap whose unknown region is exactly the matte's band (so both solve the same
 * unknowns), once with a ±16 px band, as in issue 12's table. Scored with the same SAD as the matte,
 * over the matte's band and over a fixed ±16 px region around the mask (where every method but the
 * binary mask may differ from it; outside it all equal the mask). Times: matte()'s CPU (this process)
 * against infoFlow's CPU inside Python and the wall time of the whole Python call (start-up, PNG
 * reading and writing included). Without --opencv nothing of this runs and the output is unchanged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { buildBand } from '../src/core/matte/band.js';
import type { MatteOptions } from '../src/core/matte/matte.js';
import { defaultEdgeRadius, matte } from '../src/core/matte/matte.js';
import type { Preconditioner } from '../src/core/matte/pcg.js';
import { alphaFromBytes, featherMask, foregroundColourError, matteErrors } from '../src/core/matte/scores.js';
import { segment } from '../src/core/segment.js';
import { encodeColorPng, encodeGreyPng } from '../src/io/write-image.js';
import type { MatteScene } from '../src/testing/matte-scenes.js';
import {
  makeScene,
  SCENE_BACKGROUNDS,
  SCENE_FOREGROUNDS,
  thresholdMask,
} from '../src/testing/matte-scenes.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const [W, H] = arg('--size', '640x480').split('x').map(Number);
const rounds = Number(arg('--rounds', '3'));
const loadStart = loadavg()[0];
const compareDir = args.includes('--compare') ? arg('--compare', '') : undefined;
const other: typeof matte | undefined = compareDir
  ? (await import(pathToFileURL(resolve(compareDir, 'src/core/matte/matte.js')).href)).matte
  : undefined;
const optional = (name: string) => (args.includes(name) ? Number(arg(name, '')) : undefined);
const options: MatteOptions = {
  edgeRadius: optional('--edge-radius'),
  bandGrowth: optional('--band-growth'),
  growthThreshold: optional('--growth-threshold'),
  tolerance: optional('--tolerance'),
  foregroundSweeps: optional('--sweeps'),
  preconditioner: args.includes('--preconditioner')
    ? (arg('--preconditioner', '') as Preconditioner)
    : undefined,
};

function morph(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = mask.slice();
  for (const p of buildBand(mask, width, height, radius).pixels) if (mask[p] >= 128) out[p] = 0;
  return out;
}

function strokecutMask(scene: MatteScene): Uint8Array {
  const { width, height } = scene.image;
  // Red: a short horizontal line through the object's solid middle; blue: the image's border.
  const strokes = new Uint8Array(width * height * 3);
  const solid = morph(thresholdMask(scene.alpha), width, height, Math.round(width / 40));
  const cy = Math.round(height * (scene.name.startsWith('hair') ? 0.75 : 0.5));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (Math.abs(y - cy) <= 2 && Math.abs(x - width / 2) < width / 8 && solid[y * width + x])
        strokes[i] = 255;
      if (x < 4 || y < 4 || x >= width - 4) strokes[i + 2] = 255;
    }
  }
  return segment(scene.image, { width, height, data: strokes }).mask;
}

type Variant = 'truth' | 'eroded 2 px' | 'shifted 2 px' | 'strokecut';
const VARIANTS: Variant[] = ['truth', 'eroded 2 px', 'shifted 2 px', 'strokecut'];

function maskFor(scene: MatteScene, variant: Variant): Uint8Array {
  const { width, height } = scene.image;
  const truth = thresholdMask(scene.alpha);
  if (variant === 'truth') return truth;
  if (variant === 'eroded 2 px') return morph(truth, width, height, 2);
  if (variant === 'strokecut') return strokecutMask(scene);
  const shifted = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 2; x < width; x++) shifted[y * width + x] = truth[y * width + x - 2];
  return shifted;
}

const f2 = (v: number) => (v / 1000).toFixed(2);

const withOpencv = args.includes('--opencv');
const OPENCV_BAND = 16;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const opencvDir = withOpencv ? mkdtempSync(join(tmpdir(), 'strokecut-alphamat-')) : '';
let opencvVersion = '';
let opencvNote = '';

interface InfoFlowRun {
  alpha: Float32Array;
  /** infoFlow's CPU seconds inside Python (all threads) and the Python call's wall ms. */
  cpuSeconds: number;
  wallMs: number;
  knownDrift: number;
}

/** Trimap of `mask` with exactly `band`'s pixels unknown (128); 255 = known foreground, 0 = background. */
function trimapOf(mask: Uint8Array, band: readonly number[] | Int32Array | Uint32Array): Uint8Array {
  const trimap = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) trimap[p] = mask[p] >= 128 ? 255 : 0;
  for (const p of band) trimap[p] = 128;
  return trimap;
}

/** Runs bench/opencv-alphamat.py on the scene and trimap; undefined (and opencvNote set) if it cannot run. */
async function infoFlow(
  scene: MatteScene,
  trimap: Uint8Array,
  label: string,
): Promise<InfoFlowRun | undefined> {
  if (opencvNote) return undefined;
  const { width, height, data } = scene.image;
  const file = (kind: string) => join(opencvDir, `${label.replace(/[^a-z0-9]+/gi, '-')}-${kind}.png`);
  writeFileSync(file('image'), await encodeColorPng(data, width, height, 3));
  writeFileSync(file('trimap'), await encodeGreyPng(trimap, width, height));
  const t0 = performance.now();
  let output: string;
  try {
    output = execFileSync(
      '/usr/bin/python3',
      [join(root, 'bench', 'opencv-alphamat.py'), file('image'), file('trimap'), file('alpha')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20 },
    );
  } catch (error) {
    opencvNote = `OpenCV infoFlow not measured (${String((error as Error).message).split('\n')[0]}).`;
    return undefined;
  }
  const wallMs = performance.now() - t0;
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    opencvNote = 'OpenCV infoFlow not measured (bench/opencv-alphamat.py printed no RESULT line).';
    return undefined;
  }
  const parsed = JSON.parse(line.slice(7)) as {
    opencv: string;
    runs: { cpuSeconds: number; knownDrift: number }[];
  };
  opencvVersion = parsed.opencv;
  const { data: bytes, info } = await sharp(file('alpha')).raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height)
    throw new Error(`bench:matte: infoFlow's alpha is ${info.width}×${info.height}, not ${width}×${height}`);
  const alpha = new Float32Array(width * height);
  for (let p = 0; p < alpha.length; p++) alpha[p] = bytes[p * info.channels] / 255;
  const { cpuSeconds, knownDrift } = parsed.runs[0];
  return { alpha, cpuSeconds, wallMs, knownDrift };
}

interface OpencvTotals {
  binary: number;
  matte: number;
  infoFlow: number;
  wideBinary: number;
  wideMatte: number;
  wideInfoFlow: number;
  wideInfoFlow16: number;
  matteWorse: number;
  infoFlowWorse: number;
  infoFlow16Worse: number;
  matteCpuMs: number;
  infoFlowCpuS: number;
  infoFlowWallMs: number;
  infoFlow16CpuS: number;
  infoFlow16WallMs: number;
}
const opencvRows: string[] = [];
const opencvTotals: Record<string, OpencvTotals> = {};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
console.log(
  `Soft edges on ${SCENE_FOREGROUNDS.length * SCENE_BACKGROUNDS.length} synthetic scenes of ${W}×${H}; SAD/1000 over the unknown band (default edge radius); colour error α*-weighted mean |F − F*| (0–255).\n`,
);
if (!args.includes('--no-accuracy')) {
  const totals: Record<
    string,
    {
      binary: number;
      feather: number;
      matte: number;
      worse: number;
      colour: number;
      fixedBinary: number;
      fixedMatte: number;
    }
  > = {};
  const fixedRadius = 3 * defaultEdgeRadius(W, H);
  console.log(
    '| mask | scene | band px | SAD binary | SAD feather σ=1 | SAD matte | matte/binary | colour observed | colour estimated |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const variant of VARIANTS) {
    const total = { binary: 0, feather: 0, matte: 0, worse: 0, colour: 0, fixedBinary: 0, fixedMatte: 0 };
    for (const fg of SCENE_FOREGROUNDS) {
      for (const bg of SCENE_BACKGROUNDS) {
        const scene = makeScene(fg, bg, W, H);
        const mask = maskFor(scene, variant);
        const c0 = cpuMs();
        const result = matte(scene.image, mask, options);
        const matteCpuMs = cpuMs() - c0;
        const region = new Uint8Array(W * H);
        const bandPixels = buildBand(mask, W, H, result.stats.edgeRadius).pixels;
        for (const p of bandPixels) region[p] = 1;
        const binary = matteErrors(alphaFromBytes(mask), scene.alpha, region, W, H).sad;
        const feather = matteErrors(featherMask(mask, W, H, 1), scene.alpha, region, W, H).sad;
        const soft = matteErrors(alphaFromBytes(result.alpha), scene.alpha, region, W, H).sad;
        const observed = foregroundColourError(scene.image.data, scene.foreground, scene.alpha, region);
        const estimated = foregroundColourError(result.foreground, scene.foreground, scene.alpha, region);
        const fixed = new Uint8Array(W * H);
        for (const p of buildBand(mask, W, H, fixedRadius).pixels) fixed[p] = 1;
        total.fixedBinary += matteErrors(alphaFromBytes(mask), scene.alpha, fixed, W, H).sad;
        total.fixedMatte += matteErrors(alphaFromBytes(result.alpha), scene.alpha, fixed, W, H).sad;
        total.binary += binary;
        total.feather += feather;
        total.matte += soft;
        total.colour += estimated / (SCENE_FOREGROUNDS.length * SCENE_BACKGROUNDS.length);
        if (soft > binary) total.worse++;
        console.log(
          `| ${variant} | ${scene.name} | ${result.stats.bandPixels} | ${f2(binary)} | ${f2(feather)} | ${f2(soft)} | ${(soft / binary).toFixed(2)} | ${observed.toFixed(1)} | ${estimated.toFixed(1)} |`,
        );
        if (withOpencv && !opencvNote) {
          if (result.stats.bandPixels !== bandPixels.length)
            throw new Error('bench:matte --opencv: the matte grew its band; run without --band-growth');
          const label = `${variant} ${scene.name}`;
          const same = await infoFlow(scene, trimapOf(mask, bandPixels), label);
          const wideBand = buildBand(mask, W, H, OPENCV_BAND).pixels;
          const wide = await infoFlow(scene, trimapOf(mask, wideBand), `${label} 16`);
          if (same && wide) {
            opencvTotals[variant] ??= {
              binary: 0,
              matte: 0,
              infoFlow: 0,
              wideBinary: 0,
              wideMatte: 0,
              wideInfoFlow: 0,
              wideInfoFlow16: 0,
              matteWorse: 0,
              infoFlowWorse: 0,
              infoFlow16Worse: 0,
              matteCpuMs: 0,
              infoFlowCpuS: 0,
              infoFlowWallMs: 0,
              infoFlow16CpuS: 0,
              infoFlow16WallMs: 0,
            };
            const t = opencvTotals[variant];
            const wideRegion = new Uint8Array(W * H);
            for (const p of wideBand) wideRegion[p] = 1;
            const sad = (alpha: Float32Array, within: Uint8Array) =>
              matteErrors(alpha, scene.alpha, within, W, H).sad;
            const io = sad(same.alpha, region);
            const wBinary = sad(alphaFromBytes(mask), wideRegion);
            const wMatte = sad(alphaFromBytes(result.alpha), wideRegion);
            const wIo = sad(same.alpha, wideRegion);
            const wIo16 = sad(wide.alpha, wideRegion);
            t.binary += binary;
            t.matte += soft;
            t.infoFlow += io;
            t.wideBinary += wBinary;
            t.wideMatte += wMatte;
            t.wideInfoFlow += wIo;
            t.wideInfoFlow16 += wIo16;
            if (wMatte > wBinary) t.matteWorse++;
            if (wIo > wBinary) t.infoFlowWorse++;
            if (wIo16 > wBinary) t.infoFlow16Worse++;
            t.matteCpuMs += matteCpuMs;
            t.infoFlowCpuS += same.cpuSeconds;
            t.infoFlowWallMs += same.wallMs;
            t.infoFlow16CpuS += wide.cpuSeconds;
            t.infoFlow16WallMs += wide.wallMs;
            opencvRows.push(
              `| ${variant} | ${scene.name} | ${f2(binary)} | ${f2(soft)} | ${f2(io)} | ${(soft / binary).toFixed(2)} | ${(io / binary).toFixed(2)} | ${f2(wBinary)} | ${f2(wMatte)} | ${f2(wIo)} | ${f2(wIo16)} | ${Math.round(matteCpuMs)} | ${Math.round(1000 * same.cpuSeconds)} / ${Math.round(same.wallMs)} | ${Math.round(1000 * wide.cpuSeconds)} / ${Math.round(wide.wallMs)} | ${Math.max(same.knownDrift, wide.knownDrift)} |`,
            );
          }
        }
      }
    }
    totals[variant] = total;
  }
  console.log(
    `\n| mask | total SAD binary | feather σ=1 | matte | matte/binary | scenes worse than binary | mean colour error estimated | fixed ±${fixedRadius} px region: SAD binary | matte | matte/binary |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [variant, t] of Object.entries(totals)) {
    console.log(
      `| ${variant} | ${f2(t.binary)} | ${f2(t.feather)} | ${f2(t.matte)} | ${(t.matte / t.binary).toFixed(3)} | ${t.worse} | ${t.colour.toFixed(1)} | ${f2(t.fixedBinary)} | ${f2(t.fixedMatte)} | ${(t.fixedMatte / t.fixedBinary).toFixed(3)} |`,
    );
  }
  if (withOpencv) printOpencv();
}
if (withOpencv) rmSync(opencvDir, { recursive: true, force: true });

function printOpencv(): void {
  if (opencvNote) console.log(`\n${opencvNote}`);
  if (opencvRows.length === 0) return;
  console.log(
    `\nOpenCV ${opencvVersion} information-flow matting (cv2.alphamat.infoFlow, bench/opencv-alphamat.py) from the same masks. "same band": its unknown region is exactly the matte's band; "±${OPENCV_BAND}": a band of ${OPENCV_BAND} px. SAD/1000 over the matte's band, then over the fixed ±${OPENCV_BAND} px region around the mask. Times: matte() CPU ms in this process; infoFlow CPU ms inside Python / wall ms of the whole Python call (start-up and PNG input/output included). Drift: max |α − trimap| (0–255) infoFlow left on known pixels before they were reset.\n`,
  );
  console.log(
    `| mask | scene | SAD binary | matte | infoFlow same band | matte/binary | infoFlow/binary | ±${OPENCV_BAND} region: binary | matte | infoFlow same band | infoFlow ±${OPENCV_BAND} | matte CPU ms | infoFlow same band: CPU / wall ms | infoFlow ±${OPENCV_BAND}: CPU / wall ms | drift |`,
  );
  console.log(
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const row of opencvRows) console.log(row);
  console.log(
    `\n| mask | total SAD binary | matte | infoFlow same band | matte/binary | infoFlow/binary | ±${OPENCV_BAND} region: binary | matte | infoFlow same band | infoFlow ±${OPENCV_BAND} | matte / infoFlow same / infoFlow ±${OPENCV_BAND} over binary | scenes worse than binary (±${OPENCV_BAND} region): matte / same / ±${OPENCV_BAND} | matte CPU ms (sum) | infoFlow same: CPU / wall ms (sum) | infoFlow ±${OPENCV_BAND}: CPU / wall ms (sum) |`,
  );
  console.log(
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |',
  );
  for (const [variant, t] of Object.entries(opencvTotals)) {
    const r = (v: number) => (v / t.wideBinary).toFixed(3);
    console.log(
      `| ${variant} | ${f2(t.binary)} | ${f2(t.matte)} | ${f2(t.infoFlow)} | ${(t.matte / t.binary).toFixed(3)} | ${(t.infoFlow / t.binary).toFixed(3)} | ${f2(t.wideBinary)} | ${f2(t.wideMatte)} | ${f2(t.wideInfoFlow)} | ${f2(t.wideInfoFlow16)} | ${r(t.wideMatte)} / ${r(t.wideInfoFlow)} / ${r(t.wideInfoFlow16)} | ${t.matteWorse} / ${t.infoFlowWorse} / ${t.infoFlow16Worse} | ${Math.round(t.matteCpuMs)} | ${Math.round(1000 * t.infoFlowCpuS)} / ${Math.round(t.infoFlowWallMs)} | ${Math.round(1000 * t.infoFlow16CpuS)} / ${Math.round(t.infoFlow16WallMs)} |`,
    );
  }
}

const compareRounds: string[] = [];

/** This build's matte() and `otherMatte`, alternating for --rounds rounds (see --compare). */
function compareWith(
  otherMatte: typeof matte,
  image: MatteScene['image'],
  mask: Uint8Array,
  label: string,
  cpuNow: () => number,
): string {
  const mine = matte(image, mask, options);
  const theirs = otherMatte(image, mask, options);
  const same =
    mine.alpha.every((v, i) => v === theirs.alpha[i]) &&
    mine.foreground.every((v, i) => v === theirs.foreground[i]);
  const cpu: Record<'this' | 'other', number[]> = { this: [], other: [] };
  for (let r = 0; r < rounds; r++) {
    const order: ('this' | 'other')[] = r % 2 === 0 ? ['other', 'this'] : ['this', 'other'];
    for (const who of order) {
      const c0 = cpuNow();
      (who === 'this' ? matte : otherMatte)(image, mask, options);
      cpu[who].push(cpuNow() - c0);
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const a = median(cpu.other);
  const b = median(cpu.this);
  return `| ${label} | ${Math.round(a)} | ${Math.round(b)} | ${(a / b).toFixed(3)} | ${same ? 'yes' : 'no'} |`;
}

if (!args.includes('--no-large')) {
  console.log(
    '\n| size | scene | band px (share) | edge radius | PCG iterations | matte + colours (median ms) | CPU (median ms) | band / assemble / solve / colours (median ms) | band working memory |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const [w, h] of [
    [1226, 816],
    [4247, 2825],
  ]) {
    for (const name of ['disc/texture', 'hair/gradient'] as const) {
      const [fg, bg] = name.split('/') as ['disc' | 'hair', 'texture' | 'gradient'];
      const scene = makeScene(fg, bg, w, h);
      const mask = thresholdMask(scene.alpha);
      const times: number[] = [];
      // CPU time (user + system, the whole process) besides wall time: on a shared machine the
      // wall time follows the other processes' load, the CPU time much less.
      const cpu: number[] = [];
      const cpuNow = () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      };
      let stats = matte(scene.image, mask, options).stats;
      const stages: number[][] = [[], [], [], []];
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        const c0 = cpuNow();
        stats = matte(scene.image, mask, options).stats;
        times.push(performance.now() - t0);
        cpu.push(cpuNow() - c0);
        const { band, assemble, solve, foreground } = stats.timings;
        for (const [k, t] of [band, assemble, solve, foreground].entries()) stages[k].push(t);
      }
      const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
      times.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      console.log(
        `| ${w}×${h} | ${name} | ${stats.bandPixels} (${((100 * stats.bandPixels) / (w * h)).toFixed(1)}%) | ${stats.edgeRadius} | ${stats.iterations} | ${Math.round(times[times.length >> 1])} | ${Math.round(cpu[cpu.length >> 1])} | ${stages.map((v) => Math.round(median(v))).join(' / ')} | ${(stats.workingBytes / 2 ** 20).toFixed(1)} MiB (${Math.round(stats.workingBytes / stats.bandPixels)} B/band px) |`,
      );
      if (other) compareRounds.push(compareWith(other, scene.image, mask, `${w}×${h} ${name}`, cpuNow));
    }
  }
}
if (compareRounds.length > 0) {
  console.log(
    `\nAlternating with ${compareDir} (${rounds} rounds each, order flipped every round):\n\n| scene | CPU ms other (median) | CPU ms this (median) | other / this | alpha and colours byte-identical |`,
  );
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const row of compareRounds) console.log(row);
}
console.log(
  `\n${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; 1-minute load average ${loadStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end.`,
);
