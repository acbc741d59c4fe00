/**
 * A small self-contained SVG line chart of mean IoU against the number of clicks (the robot
 * protocol's usual figure). Pure: returns the document as a string.
 */

export interface PlotSeries {
  label: string;
  /** Mean IoU after c clicks, c = 0 … n; NaN entries (no cut at that count) are skipped. */
  values: readonly number[];
}

const COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The chart: x = clicks (0 … longest series), y = mean IoU from `yMin` (default: fits the data) to 1. */
export function iouPerClickSvg(series: readonly PlotSeries[], title = 'Mean IoU per click'): string {
  const width = 640;
  const height = 400;
  const left = 56;
  const right = 180;
  const top = 36;
  const bottom = 48;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const clicks = Math.max(1, ...series.map((s) => s.values.length - 1));
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const lowest = finite.length ? Math.min(...finite) : 0;
  const yMin = Math.max(0, Math.floor(lowest * 10) / 10);
  const xOf = (c: number) => left + (c / clicks) * plotW;
  const yOf = (v: number) => top + (1 - (v - yMin) / (1 - yMin || 1)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (let tick = yMin; tick <= 1.0001; tick += 0.1) {
    const y = yOf(tick).toFixed(1);
    parts.push(
      `<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tick.toFixed(1)}</text>`,
    );
  }
  const step = clicks > 10 ? 5 : 1;
  for (let c = 0; c <= clicks; c += step) {
    const x = xOf(c).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${top + plotH}" x2="${x}" y2="${top + plotH + 4}" stroke="#333"/>`,
      `<text x="${x}" y="${top + plotH + 18}" text-anchor="middle">${c}</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle">clicks</text>`,
    `<text x="16" y="${top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + plotH / 2})">mean IoU</text>`,
  );
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const points = s.values
      .map((v, c) => (Number.isFinite(v) ? `${xOf(c).toFixed(1)},${yOf(v).toFixed(1)}` : ''))
      .filter(Boolean)
      .join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    const ly = top + 12 + i * 20;
    parts.push(
      `<line x1="${left + plotW + 12}" y1="${ly}" x2="${left + plotW + 32}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${left + plotW + 38}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
