import type { ColorModel } from '../model/color-model.js';
import { isForegroundColor } from '../model/color-model.js';

/**
 * Decides, for any 8-bit colour, what {@link isForegroundColor} decides — exactly the same answer,
 * bit for bit — while evaluating the models only for a small fraction of the colours.
 *
 * Why it can: let D(c) = log L_fg(c) − log L_bg(c). Each log-likelihood is a log-sum-exp of
 * `log w_i − ‖c − μ_i‖`, and every such term is 1-Lipschitz in c, so each log L moves by at most
 * the Euclidean distance c moves and D by at most twice that. A box of colours whose centre has
 * |D| > 2 × (half-diagonal) therefore has one label throughout. Boxes are examined coarse to fine
 * (an octree over the RGB cube: 256, 128, …, 8, then 4, 2 inside an 8-box) and only on demand —
 * a box is looked at when a pixel's colour first falls in it — so the work follows the colours the
 * image actually has and the few boxes the decision boundary crosses.
 *
 * Colours left undecided by the bound are decided one by one: first by a pruned evaluation whose
 * distance from the plain floating-point computation is bounded (see {@link logSumExp});
 * when that evaluation is within the error bound of 0 (a tie, or as good as one) the colour gets
 * the plain {@link isForegroundColor} itself. So every answer is the plain computation's answer.
 *
 * Memory: the 32³ table of 8-boxes (128 KiB) plus 512 bytes for each 8-box the boundary crosses —
 * usually a few hundred KiB, never O(pixels).
 */

/** Box states. */
const UNKNOWN = 0;
const BACKGROUND = 1;
const FOREGROUND = 2;
const MIXED = 3;

/**
 * Terms more than this far below a colour's largest term are dropped from the pruned evaluation.
 * Each dropped term is under e^−12 ≈ 6e−6 of the sum, so dropping d of them lowers log L by less
 * than d·e^−12; that amount (`Candidates.tail`) is added to the decision margins, which keeps every
 * decision exact. Smaller gaps drop more centres but widen the margins; 12 was the fastest.
 */
const PRUNE_GAP = 12;
/** e^−gap, rounded up a little to cover the rounding of the pruning test itself. */
const DROPPED_TERM_BOUND = Math.exp(-(PRUNE_GAP - 1e-6));

/** Side of the leaf boxes of the coarse table (8 → a 32³ table). */
const LEAF_BITS = 3;
const LEAF = 1 << LEAF_BITS;
const COARSE_SIDE = 256 >> LEAF_BITS;
/** Coarse levels above the leaf table: box sides 256, 128, 64, 32, 16 (log2). */
const UPPER_LEVELS = [8, 7, 6, 5, 4];

export interface ColorDeciderStats {
  /** Boxes whose label was settled by evaluating their centre. */
  boxesDecided: number;
  /** Boxes evaluated and found to straddle the boundary. */
  boxesSplit: number;
  /** Colours decided one by one by the pruned evaluation. */
  colorsPruned: number;
  /** Colours that needed the plain computation (within the pruned evaluation's error bound of 0). */
  colorsPlain: number;
  /** 8-boxes that straddle the boundary (each holds a 512-entry per-colour table). */
  mixedBlocks: number;
}

/** Per-model data for evaluating a box or a colour. */
interface Candidates {
  /** Indexes of the centres that can matter inside a box. */
  readonly index: Int32Array;
  readonly count: number;
  /** Bound on how much the dropped centres add to log L anywhere in the box. */
  readonly tail: number;
}

export class ColorDecider {
  readonly foreground: ColorModel;
  readonly background: ColorModel;
  /**
   * One entry per 8-box: 0 unknown, 1 background, 2 foreground, ≥ 3: straddles the boundary, and
   * `entry − 3` is its block in {@link fine}. 16 bits are enough (at most 32³ blocks), and half
   * the size of 32 keeps the table (64 KiB) closer to the core in the per-pixel pass.
   */
  readonly coarse = new Uint16Array(COARSE_SIDE * COARSE_SIDE * COARSE_SIDE);
  /** 512 entries per straddling 8-box, one per colour: 0 unknown, 1 background, 2 foreground. */
  fine = new Uint8Array(64 * 512);
  readonly stats: ColorDeciderStats = {
    boxesDecided: 0,
    boxesSplit: 0,
    colorsPruned: 0,
    colorsPlain: 0,
    mixedBlocks: 0,
  };

  /** States of the boxes above the leaf level, one Uint8Array per level (sides 256 … 16). */
  private readonly upper: Uint8Array[];
  /** Per straddling 8-box: states of its 8 4-boxes and 64 2-boxes (72 bytes per block). */
  private sub = new Uint8Array(64 * 72);
  /** Per straddling 8-box: the candidate centres of each model. */
  private readonly blockCandidates: { fg: Candidates; bg: Candidates }[] = [];
  /** False when a model has non-finite numbers: then every colour takes the plain path. */
  private readonly boundsValid: boolean;
  /** Scale of the floating-point error allowance (see {@link tolerance}). */
  private readonly magnitude: number;
  private readonly allFg: Candidates;
  private readonly allBg: Candidates;
  private readonly termsFg: Float64Array;
  private readonly termsBg: Float64Array;

  constructor(foreground: ColorModel, background: ColorModel) {
    this.foreground = foreground;
    this.background = background;
    this.upper = UPPER_LEVELS.map((bits) => {
      const side = 256 >> bits;
      return new Uint8Array(side * side * side);
    });
    this.boundsValid = isFiniteModel(foreground) && isFiniteModel(background);
    let magnitude = 1;
    for (const model of [foreground, background]) {
      for (let i = 0; i < model.k; i++) magnitude = Math.max(magnitude, Math.abs(model.logWeights[i]));
    }
    this.magnitude = magnitude;
    this.allFg = allCandidates(foreground.k);
    this.allBg = allCandidates(background.k);
    this.termsFg = new Float64Array(foreground.k);
    this.termsBg = new Float64Array(background.k);
  }

  /**
   * The state of the 8-box holding colour (r, g, b), index `cell` in {@link coarse}; computes it
   * when unknown. After a call, re-read {@link fine}: it may have grown.
   */
  resolveCell(cell: number): number {
    const known = this.coarse[cell];
    if (known !== UNKNOWN) return known;
    const r0 = (cell >> 10) << LEAF_BITS;
    const g0 = ((cell >> 5) & 31) << LEAF_BITS;
    const b0 = (cell & 31) << LEAF_BITS;
    let state = MIXED;
    if (this.boundsValid) {
      // Coarse to fine through the upper levels: a decided ancestor decides this box.
      for (let level = 0; level < UPPER_LEVELS.length && state === MIXED; level++) {
        const bits = UPPER_LEVELS[level];
        const side = 256 >> bits;
        const index = ((r0 >> bits) * side + (g0 >> bits)) * side + (b0 >> bits);
        let s = this.upper[level][index];
        if (s === UNKNOWN) {
          const size = 1 << bits;
          s = this.decideBox(
            (r0 >> bits) << bits,
            (g0 >> bits) << bits,
            (b0 >> bits) << bits,
            size,
            this.allFg,
            this.allBg,
          );
          this.upper[level][index] = s;
        }
        if (s !== MIXED) state = s;
      }
    }
    if (state === MIXED) {
      let fg = this.allFg;
      let bg = this.allBg;
      if (this.boundsValid) {
        fg = pruneCandidates(this.foreground, r0, g0, b0, LEAF);
        bg = pruneCandidates(this.background, r0, g0, b0, LEAF);
        state = this.decideBox(r0, g0, b0, LEAF, fg, bg);
      }
      if (state === MIXED) {
        const block = this.stats.mixedBlocks++;
        this.ensureBlocks(block + 1);
        this.blockCandidates.push({ fg, bg });
        this.coarse[cell] = MIXED + block;
        return MIXED + block;
      }
    }
    this.coarse[cell] = state;
    return state;
  }

  /**
   * The decision for colour (r, g, b) whose 8-box is straddling block `block`: settles the 4-box
   * or 2-box around it when the bound allows (filling their entries of {@link fine}), else the
   * colour alone. Returns 1 (background) or 2 (foreground).
   */
  resolveColor(block: number, r: number, g: number, b: number): number {
    const base = block << 9;
    const local = ((r & 7) << 6) | ((g & 7) << 3) | (b & 7);
    const known = this.fine[base + local];
    if (known !== UNKNOWN) return known;
    const { fg, bg } = this.blockCandidates[block];
    if (this.boundsValid) {
      const sub = block * 72;
      // 4-box (8 per block), then 2-box (64 per block).
      const i4 = (((r >> 2) & 1) << 2) | (((g >> 2) & 1) << 1) | ((b >> 2) & 1);
      let s4 = this.sub[sub + i4];
      if (s4 === UNKNOWN) {
        s4 = this.decideBox(r & ~3, g & ~3, b & ~3, 4, fg, bg);
        this.sub[sub + i4] = s4;
        if (s4 !== MIXED) this.fillFine(base, r & 7 & ~3, g & 7 & ~3, b & 7 & ~3, 4, s4);
      }
      if (s4 !== MIXED) return s4;
      const i2 = 8 + ((((r >> 1) & 3) << 4) | (((g >> 1) & 3) << 2) | ((b >> 1) & 3));
      let s2 = this.sub[sub + i2];
      if (s2 === UNKNOWN) {
        s2 = this.decideBox(r & ~1, g & ~1, b & ~1, 2, fg, bg);
        this.sub[sub + i2] = s2;
        if (s2 !== MIXED) this.fillFine(base, r & 6, g & 6, b & 6, 2, s2);
      }
      if (s2 !== MIXED) return s2;
    }
    const state = this.decideColor(r, g, b, fg, bg);
    this.fine[base + local] = state;
    return state;
  }

  /** The decision for one colour, by table when already known. */
  isForeground(r: number, g: number, b: number): boolean {
    const cell = ((r >> LEAF_BITS) << 10) | ((g >> LEAF_BITS) << 5) | (b >> LEAF_BITS);
    const state = this.resolveCell(cell);
    if (state < MIXED) return state === FOREGROUND;
    return this.resolveColor(state - MIXED, r, g, b) === FOREGROUND;
  }

  /** Error allowance for comparing a pruned evaluation with the plain one (see logSumExp). */
  private tolerance(mf: number, mb: number): number {
    return 1e-8 * (this.magnitude + Math.abs(mf) + Math.abs(mb));
  }

  /**
   * Label of every colour in the box [r0, r0+size) × [g0, …) × [b0, …), or MIXED when the bound
   * cannot tell. The centre's value comes from the pruned evaluation, whose error is far inside
   * the tolerance added to the bound.
   */
  private decideBox(
    r0: number,
    g0: number,
    b0: number,
    size: number,
    fg: Candidates,
    bg: Candidates,
  ): number {
    const offset = (size - 1) / 2;
    // Twice the half-diagonal of the integer colours the box holds, (size − 1)·√3 / 2.
    const state = this.decide(r0 + offset, g0 + offset, b0 + offset, fg, bg, (size - 1) * Math.sqrt(3));
    if (state === MIXED) this.stats.boxesSplit++;
    else this.stats.boxesDecided++;
    return state;
  }

  private decideColor(r: number, g: number, b: number, fg: Candidates, bg: Candidates): number {
    if (this.boundsValid) {
      const state = this.decide(r, g, b, fg, bg, 0);
      if (state !== MIXED) {
        this.stats.colorsPruned++;
        return state;
      }
    }
    this.stats.colorsPlain++;
    return isForegroundColor(this.foreground, this.background, r, g, b) ? FOREGROUND : BACKGROUND;
  }

  /**
   * FOREGROUND when D > margin is certain at colour (r, g, b), BACKGROUND when D < −margin is,
   * MIXED otherwise; D from the pruned evaluation, with the tolerance added to the margin.
   *
   * The exponentials are skipped when the largest terms alone settle it: log L lies between its
   * largest term m and m + log(number of terms), since the sum of exp(t − m) is between 1 and
   * that number.
   */
  private decide(r: number, g: number, b: number, fg: Candidates, bg: Candidates, margin: number): number {
    const mf = largestTerm(this.foreground, fg, r, g, b, this.termsFg);
    const mb = largestTerm(this.background, bg, r, g, b, this.termsBg);
    const bound = margin + this.tolerance(mf, mb) + fg.tail + bg.tail;
    if (mf - mb - Math.log(bg.count) > bound) return FOREGROUND;
    if (mf + Math.log(fg.count) - mb < -bound) return BACKGROUND;
    const d = mf + logSumExp(this.termsFg, fg.count, mf) - (mb + logSumExp(this.termsBg, bg.count, mb));
    if (d > bound) return FOREGROUND;
    if (d < -bound) return BACKGROUND;
    return MIXED;
  }

  private fillFine(base: number, lr: number, lg: number, lb: number, size: number, state: number): void {
    const fine = this.fine;
    for (let r = lr; r < lr + size; r++) {
      for (let g = lg; g < lg + size; g++) {
        const row = base + (r << 6) + (g << 3);
        for (let b = lb; b < lb + size; b++) fine[row + b] = state;
      }
    }
  }

  private ensureBlocks(blocks: number): void {
    if (blocks * 512 <= this.fine.length) return;
    const capacity = Math.max(blocks, (this.fine.length / 512) * 2);
    const fine = new Uint8Array(capacity * 512);
    fine.set(this.fine);
    this.fine = fine;
    const sub = new Uint8Array(capacity * 72);
    sub.set(this.sub);
    this.sub = sub;
  }
}

function isFiniteModel(model: ColorModel): boolean {
  if (model.k < 1) return false;
  for (let i = 0; i < model.k; i++) {
    if (!Number.isFinite(model.logWeights[i])) return false;
  }
  for (let i = 0; i < model.k * 3; i++) {
    if (!Number.isFinite(model.centroids[i])) return false;
  }
  return true;
}

function allCandidates(k: number): Candidates {
  const index = new Int32Array(k);
  for (let i = 0; i < k; i++) index[i] = i;
  return { index, count: k, tail: 0 };
}

/**
 * The centres whose term can come within {@link PRUNE_GAP} of the largest term somewhere in the box
 * [r0, r0+size−1]³…: centre i is dropped when even its best case in the box (nearest point) falls
 * more than the gap below another centre's worst case (farthest corner).
 */
function pruneCandidates(model: ColorModel, r0: number, g0: number, b0: number, size: number): Candidates {
  const { k, centroids, logWeights } = model;
  const best = new Float64Array(k);
  let floor = Number.NEGATIVE_INFINITY;
  const hi = size - 1;
  for (let i = 0; i < k; i++) {
    const cr = centroids[i * 3] - r0;
    const cg = centroids[i * 3 + 1] - g0;
    const cb = centroids[i * 3 + 2] - b0;
    const nr = cr < 0 ? -cr : cr > hi ? cr - hi : 0;
    const ng = cg < 0 ? -cg : cg > hi ? cg - hi : 0;
    const nb = cb < 0 ? -cb : cb > hi ? cb - hi : 0;
    const fr = Math.max(Math.abs(cr), Math.abs(cr - hi));
    const fg = Math.max(Math.abs(cg), Math.abs(cg - hi));
    const fb = Math.max(Math.abs(cb), Math.abs(cb - hi));
    best[i] = logWeights[i] - Math.sqrt(nr * nr + ng * ng + nb * nb);
    const worst = logWeights[i] - Math.sqrt(fr * fr + fg * fg + fb * fb);
    if (worst > floor) floor = worst;
  }
  const index = new Int32Array(k);
  let count = 0;
  for (let i = 0; i < k; i++) if (best[i] >= floor - PRUNE_GAP) index[count++] = i;
  return { index: index.slice(0, count), count, tail: (k - count) * DROPPED_TERM_BOUND };
}

/**
 * The largest term log w_i − ‖c − μ_i‖ over the candidate centres; stores every candidate's term
 * in `terms` for {@link logSumExp}. Each term is computed with the same expression as the plain
 * {@link logLikelihood}, so it is the same number.
 */
function largestTerm(
  model: ColorModel,
  candidates: Candidates,
  r: number,
  g: number,
  b: number,
  terms: Float64Array,
): number {
  const { centroids, logWeights } = model;
  const { index, count } = candidates;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < count; j++) {
    const i = index[j];
    const dr = r - centroids[i * 3];
    const dg = g - centroids[i * 3 + 1];
    const db = b - centroids[i * 3 + 2];
    const term = logWeights[i] - Math.sqrt(dr * dr + dg * dg + db * db);
    terms[j] = term;
    if (term > max) max = term;
  }
  return max;
}

/**
 * log Σ exp(t_j − max) over the stored terms, so that max + this is log L(c) over the candidate
 * centres. Against the plain {@link logLikelihood} (all k terms) it is lower by at most the
 * dropped terms' bound (`Candidates.tail`), and differs by rounding (a few ulps of the terms'
 * magnitude, far below 1e−8 × (1 + |log w|max + |log L|)): callers add both to their margins.
 */
function logSumExp(terms: Float64Array, count: number, max: number): number {
  let sum = 0;
  for (let j = 0; j < count; j++) sum += Math.exp(terms[j] - max);
  return Math.log(sum);
}
