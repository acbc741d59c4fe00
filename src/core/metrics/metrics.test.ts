import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  boundaryF,
  boundaryPixels,
  chessboardDistance,
  defaultBoundaryTolerance,
  scoreMask,
} from './metrics.js';

/** A mask from rows of characters: '#' = 255, '?' = 128 (unlabelled), anything else 0. */
function grid(rows: string[]): { data: Uint8Array; width: number; height: number } {
  const width = rows[0].length;
  const data = new Uint8Array(width * rows.length);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) data[y * width + x] = row[x] === '#' ? 255 : row[x] === '?' ? 128 : 0;
  });
  return { data, width, height: rows.length };
}

describe('scoreMask', () => {
  it('scores IoU and error rate of hand-made masks', () => {
    const truth = grid(['....', '.##.', '.##.', '....']);
    const mask = grid(['....', '.###', '.#..', '....']);
    // truth fg = 4 pixels; mask fg = 4; intersection = 3 ((1,1), (2,1), (1,2)); union = 5.
    const scores = scoreMask(mask.data, truth.data, 4, 4);
    assert.equal(scores.iou, 3 / 5);
    assert.equal(scores.errorRate, 2 / 16);
    assert.equal(scores.labelled, 16);
  });

  it('leaves the unlabelled band (128) out of every count', () => {
    const truth = grid(['??..', '?##.', '.##.', '....']);
    const mask = grid(['##..', '####', '....', '....']);
    // labelled: 13 pixels. Labelled mask fg: (1,1), (2,1), (3,1) → 3; truth fg 4; ∩ = 2; ∪ = 5.
    const scores = scoreMask(mask.data, truth.data, 4, 4);
    assert.equal(scores.labelled, 13);
    assert.equal(scores.iou, 2 / 5);
    assert.equal(scores.errorRate, 3 / 13);
  });

  it('gives IoU 1 and no error when mask and truth are both empty, 0 when only one is', () => {
    const empty = new Uint8Array(9);
    const full = new Uint8Array(9).fill(255);
    assert.equal(scoreMask(empty, empty, 3, 3).iou, 1);
    assert.equal(scoreMask(empty, empty, 3, 3).errorRate, 0);
    assert.equal(scoreMask(full, empty, 3, 3).iou, 0);
    assert.equal(scoreMask(full, empty, 3, 3).errorRate, 1);
  });

  it('refuses masks of the wrong size', () => {
    assert.throws(
      () => scoreMask(new Uint8Array(8), new Uint8Array(9), 3, 3),
      /needs 9 mask and truth pixels; found 8 and 9/,
    );
  });
});

describe('boundaryF', () => {
  it('finds the 4-connected inner boundary of a square', () => {
    const square = grid(['.....', '.###.', '.###.', '.###.', '.....']);
    const boundary = boundaryPixels((p) => square.data[p] !== 0, 5, 5);
    assert.deepEqual(
      [...boundary],
      [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    );
  });

  it('computes chessboard distances up to a cap', () => {
    const marks = new Uint8Array(7);
    marks[0] = 1;
    assert.deepEqual([...chessboardDistance(marks, 7, 1, 3)], [0, 1, 2, 3, 4, 4, 4]);
  });

  it('is 1 for identical masks and for a one-pixel shift within tolerance', () => {
    const truth = grid(['......', '.###..', '.###..', '.###..', '......', '......']);
    const shifted = grid(['......', '..###.', '..###.', '..###.', '......', '......']);
    assert.equal(boundaryF(truth.data, truth.data, 6, 6, 1), 1);
    assert.equal(boundaryF(shifted.data, truth.data, 6, 6, 1), 1);
  });

  it('counts boundary pixels beyond the tolerance as misses', () => {
    // Truth: a 3×3 square (8 boundary pixels). Mask: the same square plus a far single pixel.
    const truth = grid(['#........', '.###.....', '.###.....', '.###.....', '.........']);
    const mask = grid(['.........', '.###.....', '.###.....', '.###.....', '........#']);
    // Truth boundary: the square's 8 + the corner pixel (0,0) = 9; the mask's: 8 + (8,4) = 9.
    // With tolerance 1: (0,0) is next to the square's corner → recalled: recall 9/9.
    // (8,4) is 5+ away from any truth boundary → precision 8/9. F = 2·(8/9)·1 / (8/9 + 1) = 16/17.
    assert.equal(boundaryF(mask.data, truth.data, 9, 5, 1), 16 / 17);
  });

  it('counts mask boundary pixels inside the unlabelled band as correct', () => {
    // Truth: foreground columns 0–3, band column 4, background 5–9. Mask: foreground 0–4, so its
    // boundary (column 4) lies in the band, 1 pixel from the truth's (column 3).
    const truth = grid(['####?.....', '####?.....', '####?.....']);
    const mask = grid(['#####.....', '#####.....', '#####.....']);
    assert.equal(boundaryF(mask.data, truth.data, 10, 3, 0), 0 + 0); // recall 0 at tolerance 0
    assert.equal(boundaryF(mask.data, truth.data, 10, 3, 1), 1);
    const wide = grid(['###.......', '###.......', '###.......']); // boundary at column 2, labelled
    assert.equal(boundaryF(wide.data, truth.data, 10, 3, 0), 0);
  });

  it('gives 0 when the mask has no boundary but the truth has', () => {
    const truth = grid(['?????', '?###?', '?###?', '?###?', '?????']);
    const mask = grid(['#####', '#####', '#####', '#####', '#####']);
    // The mask has no boundary (the image frame is not a boundary): F = 0 against a real truth edge.
    assert.equal(boundaryF(mask.data, truth.data, 5, 5, 1), 0);
    const grown = grid(['.....', '.###.', '.###.', '.###.', '.....']);
    assert.equal(boundaryF(grown.data, truth.data, 5, 5, 0), 1);
  });

  it('uses 0.75% of the diagonal as the default tolerance', () => {
    assert.equal(defaultBoundaryTolerance(481, 321), 4);
    assert.equal(defaultBoundaryTolerance(10, 10), 1);
  });
});
