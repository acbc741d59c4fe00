import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  makeScene,
  SCENE_BACKGROUNDS,
  SCENE_FOREGROUNDS,
  thresholdMask,
} from '../../testing/matte-scenes.js';
import { isStrokecutError } from '../errors.js';
import { buildBand } from './band.js';
import { estimateForeground, foregroundEnergy, fourNeighbours } from './foreground.js';
import { defaultEdgeRadius, MATTE_DEFAULTS, matte } from './matte.js';
import { alphaFromBytes, foregroundColourError, matteErrors } from './scores.js';

const W = 240;
const H = 180;

function bandRegion(mask: Uint8Array, radius: number): Uint8Array {
  const region = new Uint8Array(W * H);
  for (const p of buildBand(mask, W, H, radius).pixels) region[p] = 1;
  return region;
}

describe('matte on scenes with known alpha and colours', () => {
  for (const fg of SCENE_FOREGROUNDS) {
    for (const bg of SCENE_BACKGROUNDS) {
      it(`${fg} over ${bg}: SAD well below the binary mask's, colours closer than the observed`, () => {
        const scene = makeScene(fg, bg, W, H);
        const mask = thresholdMask(scene.alpha);
        const result = matte(scene.image, mask, { edgeRadius: 4 });
        const region = bandRegion(mask, 4);
        const binary = matteErrors(alphaFromBytes(mask), scene.alpha, region, W, H);
        const soft = matteErrors(alphaFromBytes(result.alpha), scene.alpha, region, W, H);
        assert.ok(
          soft.sad < 0.6 * binary.sad,
          `SAD ${soft.sad.toFixed(1)} vs binary ${binary.sad.toFixed(1)}`,
        );
        assert.ok(soft.mse < binary.mse);
        const observed = foregroundColourError(scene.image.data, scene.foreground, scene.alpha, region);
        const estimated = foregroundColourError(result.foreground, scene.foreground, scene.alpha, region);
        assert.ok(
          estimated < 0.8 * observed,
          `colour error ${estimated.toFixed(1)} vs observed ${observed.toFixed(1)}`,
        );
        // Outside the band: the mask's alpha and the image's colours, untouched.
        for (let p = 0; p < W * H; p++) {
          if (region[p]) continue;
          assert.equal(result.alpha[p], mask[p]);
          assert.equal(result.foreground[p * 3 + 1], scene.image.data[p * 3 + 1]);
        }
      });
    }
  }

  it('still beats the binary mask from a mask 2 px off', () => {
    const scene = makeScene('disc', 'texture', W, H);
    const truth = thresholdMask(scene.alpha);
    const shifted = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 2; x < W; x++) shifted[y * W + x] = truth[y * W + x - 2];
    const result = matte(scene.image, shifted, { edgeRadius: 4 });
    const region = bandRegion(shifted, 4);
    const binary = matteErrors(alphaFromBytes(shifted), scene.alpha, region, W, H);
    const soft = matteErrors(alphaFromBytes(result.alpha), scene.alpha, region, W, H);
    assert.ok(soft.sad < 0.5 * binary.sad, `SAD ${soft.sad.toFixed(1)} vs binary ${binary.sad.toFixed(1)}`);
  });
});

describe('band growth', () => {
  it('widens the band where a soft edge runs past it, and lowers the SAD there', () => {
    const scene = makeScene('motion', 'gradient', W, H);
    const mask = thresholdMask(scene.alpha);
    // A band narrower than the blur: the edge goes on past it.
    const plain = matte(scene.image, mask, { edgeRadius: 2 });
    const grown = matte(scene.image, mask, { edgeRadius: 2, bandGrowth: 2 });
    assert.ok(grown.stats.bandPixels > plain.stats.bandPixels);
    const region = bandRegion(mask, 8);
    const sad = (alpha: Uint8Array) => matteErrors(alphaFromBytes(alpha), scene.alpha, region, W, H).sad;
    assert.ok(sad(grown.alpha) < 0.8 * sad(plain.alpha), `SAD ${sad(grown.alpha)} vs ${sad(plain.alpha)}`);
    // A sharp-edged mask with a band that holds the whole edge does not grow.
    const sharp = makeScene('disc', 'gradient', W, H);
    const disc = thresholdMask(sharp.alpha);
    const wide = matte(sharp.image, disc, { edgeRadius: 8 });
    assert.equal(
      matte(sharp.image, disc, { edgeRadius: 8, bandGrowth: 2 }).stats.bandPixels,
      wide.stats.bandPixels,
    );
  });
});

describe('foreground estimation', () => {
  it('the default sweeps come close to the converged minimum of its energy', () => {
    const scene = makeScene('hair', 'texture', W, H);
    const mask = thresholdMask(scene.alpha);
    const band = buildBand(mask, W, H, 4);
    const alpha = Float64Array.from(band.pixels, (p) => scene.alpha[p]);
    const table = fourNeighbours(band, mask);
    const options = {
      regularization: MATTE_DEFAULTS.foregroundRegularization,
      gradientWeight: MATTE_DEFAULTS.foregroundGradientWeight,
    };
    const energy = (sweeps: number) => {
      const { fg, bg } = estimateForeground(scene.image.data, alpha, band, table, { ...options, sweeps });
      return foregroundEnergy(scene.image.data, alpha, band, table, fg, bg, { ...options, sweeps });
    };
    const start = energy(0);
    const fewer = energy(MATTE_DEFAULTS.foregroundSweeps);
    const converged = energy(400);
    assert.ok(converged < start);
    // The default closes most of the gap between the start and the minimum.
    assert.ok(fewer - converged < 0.1 * (start - converged), `${start} → ${fewer} (converged ${converged})`);
  });
});

describe('foreground estimation start', () => {
  it('gives every band pixel a known colour of each side, also where the band winds', () => {
    // The band by hand: a serpentine corridor 2 px wide whose legs go down and up in turn, with
    // one known foreground pixel at its far end, so the foreground colour has to travel forward
    // and back in band order many times. Known colours name their pixel (red and green), the side
    // in blue (255 foreground, 0 background).
    const w = 40;
    const h = 30;
    const mask = new Uint8Array(w * h);
    const inBand = new Uint8Array(w * h);
    const legs = 8;
    for (let k = 0; k < legs; k++) {
      const x0 = 2 + k * 4;
      for (let y = 2; y < 28; y++) for (let x = x0; x < x0 + 2; x++) inBand[y * w + x] = 1;
      if (k + 1 < legs) {
        const y0 = k % 2 === 0 ? 26 : 2; // joined to the next leg at the bottom, then at the top
        for (let y = y0; y < y0 + 2; y++) for (let x = x0 + 2; x < x0 + 4; x++) inBand[y * w + x] = 1;
      }
    }
    mask[1 * w + 2 + (legs - 1) * 4] = 255; // above the last leg's top
    const pixels = Int32Array.from(Array.from(inBand).flatMap((v, p) => (v ? [p] : [])));
    const rowStart = new Int32Array(h + 1);
    for (let y = 0, i = 0; y <= h; y++) {
      while (i < pixels.length && pixels[i] < y * w) i++;
      rowStart[y] = i;
    }
    const band = { width: w, height: h, radius: 2, pixels, rowStart };
    const rgb = new Uint8Array(w * h * 3);
    for (let p = 0; p < w * h; p++) {
      rgb[p * 3] = p & 255;
      rgb[p * 3 + 1] = p >> 8;
      rgb[p * 3 + 2] = mask[p];
    }
    const table = fourNeighbours(band, mask);
    const alpha = new Float64Array(pixels.length).fill(0.5);
    const { fg, bg } = estimateForeground(rgb, alpha, band, table, {
      sweeps: 0,
      regularization: MATTE_DEFAULTS.foregroundRegularization,
      gradientWeight: MATTE_DEFAULTS.foregroundGradientWeight,
    });
    for (let i = 0; i < pixels.length; i++) {
      for (const [layer, side] of [
        [fg, 255],
        [bg, 0],
      ] as const) {
        const q = Math.round(layer[i * 3] * 255) + Math.round(layer[i * 3 + 1] * 255) * 256;
        const where = `band pixel ${pixels[i]} starts from ${q}`;
        assert.equal(inBand[q], 0, where);
        assert.equal(mask[q], side, where);
        assert.equal(Math.round(layer[i * 3 + 2] * 255), side, where);
      }
    }
  });
});

describe('matte options and input', () => {
  it('scales the default band with the diagonal', () => {
    assert.equal(defaultEdgeRadius(1226, 816), 7);
    assert.equal(defaultEdgeRadius(4247, 2825), 26);
    assert.equal(defaultEdgeRadius(40, 30), MATTE_DEFAULTS.minEdgeRadius);
    const scene = makeScene('disc', 'gradient', 200, 150);
    assert.equal(
      matte(scene.image, thresholdMask(scene.alpha)).stats.edgeRadius,
      defaultEdgeRadius(200, 150),
    );
  });

  it('radius 0 gives the mask itself and the image colours', () => {
    const scene = makeScene('disc', 'gradient', 60, 40);
    const mask = thresholdMask(scene.alpha);
    const result = matte(scene.image, mask, { edgeRadius: 0 });
    assert.deepEqual(result.alpha, mask);
    assert.deepEqual(result.foreground, scene.image.data);
  });

  it('says what it expected on bad input', () => {
    const scene = makeScene('disc', 'gradient', 20, 10);
    const check = (fn: () => unknown, code: string, text: RegExp) =>
      assert.throws(fn, (e: unknown) => isStrokecutError(e) && e.code === code && text.test(e.message));
    check(() => matte(scene.image, new Uint8Array(199)), 'SIZE_MISMATCH', /needs 200 bytes; found 199/);
    check(() => matte(scene.image, new Uint8Array(200), { edgeRadius: -1 }), 'INVALID_OPTION', /edgeRadius/);
    check(() => matte(scene.image, new Uint8Array(200), { edgeRadius: 1.5 }), 'INVALID_OPTION', /integer/);
    check(
      () => matte({ width: 20, height: 10, data: new Uint8Array(5) }, new Uint8Array(200)),
      'INVALID_IMAGE',
      /600 bytes; found 5/,
    );
  });
});
