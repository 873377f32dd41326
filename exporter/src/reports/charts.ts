import { Resvg } from '@resvg/resvg-js';
import { Chart } from './report';
import { formatValue } from './format';

/**
 * Report charts as SVG, made here from the report's numbers (no browser, no canvas), and as PNG
 * through resvg (a Rust renderer shipped as an npm package) for mail clients that show no SVG.
 * Text uses the system's sans-serif fonts (DejaVu Sans in the image).
 */

const W = 640;
const H = 260;
const PAD = { left: 64, right: 16, top: 16, bottom: 40 };
const FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"';
const PALETTE = ['#3274d9', '#56a64b', '#ff9830', '#b877d9', '#e02f44'];
const GRID = '#d8d9da';
const TEXT = '#464c54';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Round axis steps (1, 2, 5 x 10^n) covering [min, max] with about `n` ticks. */
export function niceTicks(min: number, max: number, n = 5): number[] {
  if (!(max > min)) {
    const v = Number.isFinite(min) ? min : 0;
    return v === 0 ? [0, 1] : [Math.min(0, v), Math.max(0, v) || 1];
  }
  const raw = (max - min) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if ((ticks.at(-1) as number) < max) ticks.push(Number(((ticks.at(-1) as number) + step).toPrecision(12)));
  return ticks;
}

function svg(body: string, height = H): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}"><rect width="${W}" height="${height}" fill="#ffffff"/>${body}</svg>`;
}

const shortDate = (ms: number) => new Date(ms).toISOString().slice(5, 10);

function lineChart(c: Extract<Chart, { kind: 'line' }>, currency: string): string {
  const xs = c.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1]).filter((v): v is number => v !== null));
  if (xs.length === 0 || ys.length === 0)
    return svg(
      `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" ${FONT} font-size="13" fill="${TEXT}">nothing to draw in this range</text>`,
    );
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const ticks = niceTicks(Math.min(0, ...ys), Math.max(...ys));
  const [y0, y1] = [ticks[0] as number, ticks.at(-1) as number];
  const px = (x: number) => PAD.left + (x1 > x0 ? ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right) : (W - PAD.left - PAD.right) / 2);
  const py = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  const unit = c.unit === 'currency' ? 'count' : c.unit;
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(t)}" y2="${py(t)}" stroke="${GRID}" stroke-width="1"/><text x="${PAD.left - 6}" y="${py(t) + 4}" text-anchor="end" ${FONT} font-size="11" fill="${TEXT}">${esc(formatValue(t, unit))}</text>`,
    )
    .join('');
  const xLabels = [x0, x0 + (x1 - x0) / 2, x1]
    .map(
      (x, i) =>
        `<text x="${px(x)}" y="${H - PAD.bottom + 16}" text-anchor="${['start', 'middle', 'end'][i]}" ${FONT} font-size="11" fill="${TEXT}">${shortDate(x)}</text>`,
    )
    .join('');
  const lines = c.series
    .map((s, k) => {
      const color = PALETTE[k % PALETTE.length];
      // A null breaks the line: a gap is not a zero.
      const d = s.points
        .map((p, i) =>
          p[1] === null ? '' : `${i === 0 || s.points[i - 1]?.[1] === null ? 'M' : 'L'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`,
        )
        .join('');
      const dots =
        s.points.length <= 16
          ? s.points
              .filter((p) => p[1] !== null)
              .map((p) => `<circle cx="${px(p[0])}" cy="${py(p[1] as number)}" r="3" fill="${color}"/>`)
              .join('')
          : '';
      return `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>${dots}`;
    })
    .join('');
  const legend = c.series
    .map(
      (s, k) =>
        `<rect x="${PAD.left + k * 110}" y="${H - 14}" width="10" height="10" fill="${PALETTE[k % PALETTE.length]}"/><text x="${PAD.left + k * 110 + 14}" y="${H - 5}" ${FONT} font-size="11" fill="${TEXT}">${esc(s.name)}${c.unit === 'currency' ? ` (${esc(currency)})` : ''}</text>`,
    )
    .join('');
  return svg(grid + xLabels + lines + legend);
}

/** Blue scale for a share 0..1; grey for a cell not over yet. */
function heatColor(v: number | null): string {
  if (v === null) return '#f4f5f5';
  const t = Math.max(0, Math.min(1, v));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(236, 31)},${mix(243, 96)},${mix(252, 196)})`;
}

function heatmap(c: Extract<Chart, { kind: 'heatmap' }>): string {
  const rows = c.rowLabels.length;
  const cols = c.columnLabels.length;
  const cellH = 22;
  const height = PAD.top + 20 + Math.max(1, rows) * cellH + 8;
  const left = 90;
  const cellW = (W - left - PAD.right) / Math.max(1, cols);
  const header = c.columnLabels
    .map(
      (l, j) =>
        `<text x="${left + j * cellW + cellW / 2}" y="${PAD.top + 12}" text-anchor="middle" ${FONT} font-size="11" fill="${TEXT}">${esc(l)}</text>`,
    )
    .join('');
  const body = c.values
    .map((row, i) => {
      const y = PAD.top + 20 + i * cellH;
      const label = `<text x="${left - 6}" y="${y + 15}" text-anchor="end" ${FONT} font-size="11" fill="${TEXT}">${esc(c.rowLabels[i] ?? '')}</text>`;
      return (
        label +
        row
          .map((v, j) => {
            const x = left + j * cellW;
            const text =
              v === null
                ? ''
                : `<text x="${x + cellW / 2}" y="${y + 15}" text-anchor="middle" ${FONT} font-size="10" fill="${v > 0.5 ? '#ffffff' : TEXT}">${Math.round(v * 100)}%</text>`;
            return `<rect x="${x + 1}" y="${y + 1}" width="${cellW - 2}" height="${cellH - 2}" fill="${heatColor(v)}"/>${text}`;
          })
          .join('')
      );
    })
    .join('');
  return svg(header + body, height);
}

function funnel(c: Extract<Chart, { kind: 'funnel' }>): string {
  const barH = 28;
  const height = PAD.top + c.steps.length * (barH + 8) + 8;
  const left = 170;
  const max = Math.max(1, ...c.steps.map((s) => s.users));
  const body = c.steps
    .map((s, i) => {
      const y = PAD.top + i * (barH + 8);
      const w = ((W - left - PAD.right - 90) * s.users) / max;
      const share = i === 0 || !c.steps[0]?.users ? '' : ` (${Math.round((100 * s.users) / (c.steps[0]?.users as number))}%)`;
      return `<text x="${left - 8}" y="${y + 19}" text-anchor="end" ${FONT} font-size="12" fill="${TEXT}">${esc(s.label.length > 24 ? `${s.label.slice(0, 23)}…` : s.label)}</text><rect x="${left}" y="${y}" width="${Math.max(1, w)}" height="${barH}" fill="${PALETTE[0]}"/><text x="${left + Math.max(1, w) + 6}" y="${y + 19}" ${FONT} font-size="12" fill="${TEXT}">${s.users}${share}</text>`;
    })
    .join('');
  return svg(body, height);
}

export function chartSvg(chart: Chart, currency: string): string {
  switch (chart.kind) {
    case 'line':
      return lineChart(chart, currency);
    case 'heatmap':
      return heatmap(chart);
    case 'funnel':
      return funnel(chart);
  }
}

/** The chart as a PNG at 2x for sharp text on high-density screens. */
export function chartPng(chart: Chart, currency: string): Buffer {
  const r = new Resvg(chartSvg(chart, currency), {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return Buffer.from(r.render().asPng());
}
