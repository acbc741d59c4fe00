/**
 * Matte quality measures of the alpha matting benchmark (Rhemann et al. 2009) over a region (the
 * unknown band): SAD, MSE and the gradient error. Alphas are 0–1; a byte alpha is /255 first.
 */
export interface MatteErrors {
  /** Σ |α − α*| over the region (as the benchmarks report it: divide by 1000 for "SAD/1000"). */
  sad: number;
  /** Mean of (α − α*)² over the region. */
  mse: number;
  /** Σ (‖∇α‖ − ‖∇α*‖)² over the region, gradients by Gaussian derivatives with σ = 1.4. */
  gradient: number;
  /** Pixels in the region. */
  pixels: number;
}

/** A byte alpha (0–255) as 0–1. */
export function alphaFromBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let p = 0; p < bytes.length; p++) out[p] = bytes[p] / 255;
  return out;
}

/** Magnitude of the Gaussian-derivative gradient (σ) of a width × height plane. */
export function gradientMagnitude(
  plane: Float32Array,
  width: number,
  height: number,
  sigma = 1.4,
): Float32Array {
  const radius = Math.ceil(3 * sigma);
  const g = new Float64Array(2 * radius + 1);
  const dg = new Float64Array(2 * radius + 1);
  let sum = 0;
  let dsum = 0;
  for (let k = -radius; k <= radius; k++) {
    g[k + radius] = Math.exp((-k * k) / (2 * sigma * sigma));
    dg[k + radius] = -k * g[k + radius];
    sum += g[k + radius];
    dsum += -k * dg[k + radius];
  }
  for (let k = 0; k < g.length; k++) {
    g[k] /= sum;
    dg[k] /= dsum; // a unit ramp has derivative 1
  }
  const clampX = (x: number) => (x < 0 ? 0 : x >= width ? width - 1 : x);
  const clampY = (y: number) => (y < 0 ? 0 : y >= height ? height - 1 : y);
  const pass = (input: Float32Array, kernel: Float64Array, horizontal: boolean) => {
    const out = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const v = horizontal ? input[y * width + clampX(x + k)] : input[clampY(y + k) * width + x];
          acc += kernel[k + radius] * v;
        }
        out[y * width + x] = acc;
      }
    }
    return out;
  };
  const gx = pass(pass(plane, dg, true), g, false);
  const gy = pass(pass(plane, g, true), dg, false);
  for (let p = 0; p < gx.length; p++) gx[p] = Math.hypot(gx[p], gy[p]);
  return gx;
}

/** SAD, MSE and gradient error of `alpha` against `truth` where `region[p] !== 0`. */
export function matteErrors(
  alpha: Float32Array,
  truth: Float32Array,
  region: Uint8Array,
  width: number,
  height: number,
): MatteErrors {
  const ga = gradientMagnitude(alpha, width, height);
  const gt = gradientMagnitude(truth, width, height);
  let sad = 0;
  let squares = 0;
  let gradient = 0;
  let pixels = 0;
  for (let p = 0; p < alpha.length; p++) {
    if (!region[p]) continue;
    const d = alpha[p] - truth[p];
    sad += Math.abs(d);
    squares += d * d;
    const dg = ga[p] - gt[p];
    gradient += dg * dg;
    pixels++;
  }
  return { sad, mse: pixels ? squares / pixels : 0, gradient, pixels };
}

/** The baseline "Gaussian feather": the binary mask blurred with a Gaussian of σ pixels (0–1). */
export function featherMask(mask: Uint8Array, width: number, height: number, sigma: number): Float32Array {
  const radius = Math.ceil(3 * sigma);
  const g = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += g[k + radius] = Math.exp((-k * k) / (2 * sigma * sigma));
  for (let k = 0; k < g.length; k++) g[k] /= sum;
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = Math.min(width - 1, Math.max(0, x + k));
        acc += g[k + radius] * (mask[y * width + xx] >= 128 ? 1 : 0);
      }
      tmp[y * width + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = Math.min(height - 1, Math.max(0, y + k));
        acc += g[k + radius] * tmp[yy * width + x];
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}

/**
 * Colour error of a foreground estimate where it matters: mean over the region of
 * α* · |F − F*| (per channel, 0–255), weighted by α* — a colour under zero coverage is invisible.
 */
export function foregroundColourError(
  estimate: Uint8Array,
  truth: Uint8Array,
  trueAlpha: Float32Array,
  region: Uint8Array,
): number {
  let error = 0;
  let weight = 0;
  for (let p = 0; p < trueAlpha.length; p++) {
    if (!region[p]) continue;
    const a = trueAlpha[p];
    if (a <= 0) continue;
    const e =
      Math.abs(estimate[p * 3] - truth[p * 3]) +
      Math.abs(estimate[p * 3 + 1] - truth[p * 3 + 1]) +
      Math.abs(estimate[p * 3 + 2] - truth[p * 3 + 2]);
    error += (a * e) / 3;
    weight += a;
  }
  return weight > 0 ? error / weight : 0;
}
