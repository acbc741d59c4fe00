import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEED } from '../types.js';
import { firstRobotClick, nextRobotClick, paintClick, paintGrownClick, scratchStart } from './clicks.js';
import { largestComponent } from './components.js';
import { farthestInteriorPoint, squaredDistanceToOutside } from './distance.js';
import { clicksToReach, summariseRobot } from './noc.js';
import { iouPerClickSvg } from './plot.js';
import { maskIou, runRobot } from './run.js';

/** A w×h mask from rows of '#' (1) and '.' (0). */
function parse(rows: string[]): { mask: Uint8Array; width: number; height: number } {
  const width = rows[0].length;
  const mask = new Uint8Array(width * rows.length);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) mask[y * width + x] = row[x] === '#' ? 1 : 0;
  });
  return { mask, width, height: rows.length };
}

/** Brute force: squared distance to the nearest pixel outside, the frame beyond the image counting. */
function bruteForce(region: Uint8Array, width: number, height: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!region[y * width + x]) {
        out.push(0);
        continue;
      }
      let best = Number.POSITIVE_INFINITY;
      for (let qy = -1; qy <= height; qy++) {
        for (let qx = -1; qx <= width; qx++) {
          const inside = qx >= 0 && qy >= 0 && qx < width && qy < height && region[qy * width + qx];
          if (!inside) best = Math.min(best, (qx - x) ** 2 + (qy - y) ** 2);
        }
      }
      out.push(best);
    }
  }
  return out;
}

describe('distance transform', () => {
  it('matches brute force on random masks, the image frame counting as outside', () => {
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state / 2 ** 32;
    };
    for (let trial = 0; trial < 30; trial++) {
      const width = 1 + Math.floor(random() * 17);
      const height = 1 + Math.floor(random() * 13);
      const density = random();
      const region = new Uint8Array(width * height).map(() => (random() < density ? 1 : 0));
      assert.deepEqual(
        Array.from(squaredDistanceToOutside(region, width, height)),
        bruteForce(region, width, height),
      );
    }
  });

  it('puts the farthest point at the centre of a square, and at the first of tied points', () => {
    const square = parse(['.......', '.#####.', '.#####.', '.#####.', '.#####.', '.#####.', '.......']);
    assert.deepEqual(farthestInteriorPoint(square.mask, square.width, square.height), {
      x: 3,
      y: 3,
      distance: 3,
    });
    const bar = parse(['......', '.####.', '.####.', '......']);
    // Every bar pixel is 1 from the outside: the first in raster order wins.
    assert.deepEqual(farthestInteriorPoint(bar.mask, bar.width, bar.height), { x: 1, y: 1, distance: 1 });
    assert.equal(farthestInteriorPoint(new Uint8Array(4), 2, 2), undefined);
  });
});

describe('robot clicks', () => {
  it('takes the largest 8-connected component', () => {
    const r = parse(['#..##', '.#.##', '..#..', '.....', '###..']);
    const c = largestComponent(r.mask, r.width, r.height)!;
    // The diagonal (3) joins the 2×2 block through (2,2)–(3,1): 3 + 4 = 7 pixels.
    assert.equal(c.area, 7);
    assert.equal(c.mask[4 * 5], 0);
  });

  it('clicks red in the middle of the larger missed region, ignoring the unlabelled band', () => {
    const width = 20;
    const height = 12;
    const truth = new Uint8Array(width * height);
    const mask = new Uint8Array(width * height);
    // Truth object: a 9×9 square at (2..10, 1..9) with an unlabelled ring around it; the mask misses it.
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        if (x >= 2 && x <= 10 && y >= 1 && y <= 9) truth[p] = 255;
        else if (x >= 1 && x <= 11 && y >= 0 && y <= 10) truth[p] = 128;
        // A false 3×3 blob far away on the background.
        if (x >= 15 && x <= 17 && y >= 4 && y <= 6) mask[p] = 255;
      }
    }
    const click = nextRobotClick(mask, truth, width, height)!;
    assert.deepEqual(
      { x: click.x, y: click.y, foreground: click.foreground, area: click.errorArea, depth: click.depth },
      { x: 6, y: 5, foreground: true, area: 81, depth: 5 },
    );
    // Once the square is found, the false blob is the error: a blue click at its centre.
    for (let p = 0; p < truth.length; p++) if (truth[p] === 255) mask[p] = 255;
    const second = nextRobotClick(mask, truth, width, height)!;
    assert.deepEqual([second.x, second.y, second.foreground, second.errorArea], [16, 5, false, 9]);
    // The mask spilling into the unlabelled ring is no error.
    for (let p = 0; p < truth.length; p++) mask[p] = truth[p] === 0 ? 0 : 255;
    assert.equal(nextRobotClick(mask, truth, width, height), undefined);
  });

  it('picks the larger area even when its largest component is smaller than the other area', () => {
    // Missed: two 2-pixel pieces (4 px); false: one 3-pixel piece. Red wins (4 > 3), in the first piece.
    const t = parse(['##.##', '.....', '.....']);
    const m = parse(['.....', '.....', '###..']);
    const truth = t.mask.map((v) => v * 255);
    const click = nextRobotClick(m.mask, truth, 5, 3)!;
    assert.equal(click.foreground, true);
    assert.equal(click.componentArea, 2);
    assert.deepEqual([click.x, click.y], [0, 0]);
  });

  it('paints a filled disk (81 pixels at radius 5), clipped at the image edge', () => {
    const labels = new Uint8Array(30 * 30);
    paintClick(labels, 30, 30, { x: 15, y: 15, foreground: true }, 5);
    assert.equal(
      labels.reduce((s, v) => s + (v === SEED.FOREGROUND ? 1 : 0), 0),
      81,
    );
    paintClick(labels, 30, 30, { x: 15, y: 15, foreground: false }, 1);
    assert.equal(labels[15 * 30 + 15], SEED.BACKGROUND);
    const corner = new Uint8Array(30 * 30);
    paintClick(corner, 30, 30, { x: 0, y: 0, foreground: false }, 5);
    // The quarter disk within the image: x, y ≥ 0, x² + y² ≤ 25.
    assert.equal(
      corner.reduce((s, v) => s + (v ? 1 : 0), 0),
      26,
    );
  });

  it('grows a click over similar colours within its reach, stopping at an edge and at the other class', () => {
    const width = 40;
    const height = 20;
    // Left of x = 25 grey 100, right of it grey 200; one blue seed at (10, 10).
    const rgb = new Uint8Array(width * height * 3);
    for (let p = 0; p < width * height; p++) rgb.fill(p % width < 25 ? 100 : 200, p * 3, p * 3 + 3);
    const labels = new Uint8Array(width * height);
    labels[10 * width + 10] = SEED.BACKGROUND;
    paintGrownClick(labels, rgb, width, height, { x: 20, y: 10, foreground: true }, 2, 8, 20);
    const at = (x: number, y: number) => labels[y * width + x];
    assert.equal(at(13, 10), SEED.FOREGROUND); // 7 px away, same grey
    assert.equal(at(11, 10), SEED.NONE); // beyond the reach of 8
    assert.equal(at(10, 10), SEED.BACKGROUND); // the other class stays
    assert.equal(at(24, 10), SEED.FOREGROUND);
    assert.equal(at(25, 10), SEED.NONE); // across the edge
    assert.equal(at(20, 2), SEED.FOREGROUND);
  });

  it('starts from scratch on the object and the frame where the truth is background', () => {
    const width = 40;
    const height = 30;
    const truth = new Uint8Array(width * height);
    // An object touching the left edge: its part of the frame stays unmarked.
    for (let y = 5; y < 25; y++) for (let x = 0; x < 21; x++) truth[y * width + x] = 255;
    const { labels, click } = scratchStart(truth, width, height, 5, 2);
    // Depth 10 from the left frame (x = −1) and the top (y = 4) at (9, 14), the first such pixel.
    assert.deepEqual([click.x, click.y, click.foreground], [9, 14, true]);
    assert.equal(labels[10 * width + 0], SEED.NONE);
    assert.equal(labels[0], SEED.BACKGROUND);
    assert.equal(labels[(height - 1) * width + width - 1], SEED.BACKGROUND);
    assert.equal(labels[29 * width + 10], SEED.BACKGROUND);
    assert.equal(labels[15 * width + 1], SEED.NONE);
    assert.equal(labels[14 * width + 10], SEED.FOREGROUND);
    assert.throws(() => firstRobotClick(new Uint8Array(4).fill(128), 2, 2), /no foreground/);
  });
});

describe('robot loop and figures', () => {
  /** A simple honest cut: every pixel takes the label of its nearest seed (city-block BFS). */
  const nearestSeedCut = ({
    width,
    height,
    labels,
  }: {
    width: number;
    height: number;
    labels: Uint8Array;
  }) => {
    const out = new Uint8Array(width * height);
    const seen = new Uint8Array(width * height);
    const queue: number[] = [];
    for (let p = 0; p < labels.length; p++) {
      if (labels[p]) {
        seen[p] = 1;
        out[p] = labels[p] === SEED.FOREGROUND ? 255 : 0;
        queue.push(p);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const p = queue[head];
      const x = p % width;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
        if (q >= 0 && q < labels.length && !seen[q]) {
          seen[q] = 1;
          out[q] = out[p];
          queue.push(q);
        }
      }
    }
    return out;
  };

  it('clicks until the two objects are found and counts the clicks', () => {
    const width = 60;
    const height = 40;
    const truth = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((x - 15) ** 2 + (y - 20) ** 2 <= 64 || (x - 45) ** 2 + (y - 20) ** 2 <= 36)
          truth[y * width + x] = 255;
      }
    }
    const run = runRobot('two discs', truth, width, height, undefined, nearestSeedCut, {
      maxClicks: 20,
      radius: 3,
    });
    assert.equal(run.ious.length, 21);
    assert.ok(Number.isNaN(run.ious[0]));
    assert.deepEqual([run.clicks[0].x, run.clicks[0].y, run.clicks[0].foreground], [15, 20, true]);
    // The nearest-seed cut floods the gap between the discs: a blue click there on its axis, then a
    // red one in the middle of the second disc, missed until then.
    assert.deepEqual([run.clicks[1].y, run.clicks[1].foreground], [20, false]);
    assert.deepEqual([run.clicks[2].x, run.clicks[2].y, run.clicks[2].foreground], [45, 20, true]);
    assert.ok(run.ious[3] > run.ious[1]);
    // Every click lies on a pixel of its own class in the truth.
    for (const c of run.clicks) assert.equal(truth[c.y * width + c.x] === 255, c.foreground);
    assert.equal(maskIou(run.mask, truth), run.ious[20]);
    const summary = summariseRobot([run], 20);
    assert.equal(summary.meanIou.length, 21);
    assert.equal(summary.noc90, clicksToReach(run.ious, 0.9, 20));
  });

  it('counts clicks to a threshold, 0 for a good start and the maximum when never reached', () => {
    assert.equal(clicksToReach([Number.NaN, 0.5, 0.86, 0.91], 0.85, 20), 2);
    assert.equal(clicksToReach([Number.NaN, 0.5, 0.86, 0.91], 0.9, 20), 3);
    assert.equal(clicksToReach([0.95, 0.97], 0.9, 20), 0);
    assert.equal(clicksToReach([Number.NaN, 0.5, 0.6], 0.9, 2), 2);
    const summary = summariseRobot(
      [
        { name: 'a', ious: [Number.NaN, 0.5, 0.95], ms: [Number.NaN, 10, 20] },
        { name: 'b', ious: [Number.NaN, 0.86, 0.88], ms: [Number.NaN, 30, 40] },
      ],
      2,
    );
    assert.deepEqual(
      { noc85: summary.noc85, noc90: summary.noc90, never: summary.neverReach90, ms: summary.msPerClick },
      { noc85: 1.5, noc90: 2, never: ['b'], ms: 25 },
    );
    assert.ok(Math.abs(summary.meanIou[2] - 0.915) < 1e-12);
  });

  it('draws one polyline per series in a well-formed SVG', () => {
    const svg = iouPerClickSvg([
      { label: 'strokecut <a>', values: [Number.NaN, 0.6, 0.8, 0.9] },
      { label: 'grabCut', values: [Number.NaN, 0.4, 0.5, 0.7] },
    ]);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal(svg.match(/<polyline /g)?.length, 2);
    assert.match(svg, /strokecut &lt;a&gt;/);
    // Three finite points in the first series.
    assert.equal(svg.match(/<polyline points="([^"]*)"/)![1].split(' ').length, 3);
  });
});
