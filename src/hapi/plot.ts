// Training curves as an SVG file (no dependency): side-by-side panels of lines over epochs,
// e.g. loss and accuracy for training and evaluation. Not a Paddle API; the demo uses it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** One line: a value per epoch (null where there is none, e.g. epochs without evaluation). */
export interface Series {
  name: string;
  values: (number | null)[];
  color?: string;
  dashed?: boolean;
}
/** One chart: a title and its lines. yMin / yMax fix the axis (default: from the data). */
export interface Panel {
  title: string;
  series: Series[];
  yMin?: number;
  yMax?: number;
}
export interface PlotOptions {
  /** The title over the panels. */
  title?: string;
  /** The x-axis label (default 'epoch'). */
  xlabel?: string;
  /** Size of one panel in pixels (default 420 x 300). */
  panelWidth?: number;
  panelHeight?: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}
/** About `n` round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** The SVG text of the panels side by side. */
export function plotCurves(panels: Panel[], opts: PlotOptions = {}): string {
  const pw = opts.panelWidth ?? 420;
  const ph = opts.panelHeight ?? 300;
  const top = opts.title ? 40 : 10;
  const m = { l: 56, r: 16, t: 30, b: 62 };
  const W = pw * panels.length;
  const H = ph + top;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  if (opts.title) parts.push(`<text x="${W / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${esc(opts.title)}</text>`);
  panels.forEach((panel, pi) => {
    const x0 = pi * pw + m.l;
    const y0 = top + m.t;
    const w = pw - m.l - m.r;
    const h = ph - m.t - m.b;
    const all = panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
    const n = Math.max(1, ...panel.series.map((s) => s.values.length));
    let lo = panel.yMin ?? (all.length ? Math.min(...all) : 0);
    let hi = panel.yMax ?? (all.length ? Math.max(...all) : 1);
    if (panel.yMin === undefined && panel.yMax === undefined) {
      const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
      lo -= pad;
      hi += pad;
    }
    if (hi <= lo) hi = lo + 1;
    const X = (i: number): number => x0 + (n === 1 ? w / 2 : (i / (n - 1)) * w);
    const Y = (v: number): number => y0 + h - ((v - lo) / (hi - lo)) * h;
    parts.push(`<g>`);
    parts.push(`<text x="${x0 + w / 2}" y="${y0 - 10}" text-anchor="middle" font-size="14">${esc(panel.title)}</text>`);
    for (const t of ticks(lo, hi)) {
      const y = Y(t).toFixed(1);
      parts.push(`<line x1="${x0}" y1="${y}" x2="${x0 + w}" y2="${y}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${x0 - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`);
    }
    const step = Math.max(1, Math.ceil(n / 10));
    for (let i = 0; i < n; i += step) {
      const x = X(i).toFixed(1);
      parts.push(`<line x1="${x}" y1="${y0 + h}" x2="${x}" y2="${y0 + h + 4}" stroke="#333"/>`);
      parts.push(`<text x="${x}" y="${y0 + h + 16}" text-anchor="middle">${i + 1}</text>`);
    }
    parts.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#333"/>`);
    parts.push(`<text x="${x0 + w / 2}" y="${y0 + h + 32}" text-anchor="middle">${esc(opts.xlabel ?? 'epoch')}</text>`);
    panel.series.forEach((s, si) => {
      const color = s.color ?? PALETTE[si % PALETTE.length];
      const pts = s.values.map((v, i) => (v === null || !Number.isFinite(v) ? null : `${X(i).toFixed(1)},${Y(v).toFixed(1)}`));
      let run: string[] = [];
      const flush = (): void => {
        if (run.length > 1)
          parts.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
        run = [];
      };
      for (const pt of pts) {
        if (pt === null) flush();
        else {
          run.push(pt);
          const [cx, cy] = pt.split(',');
          parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
        }
      }
      flush();
      const ly = y0 + h + 48;
      const lx = x0 + si * 130;
      parts.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
      parts.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`);
    });
    parts.push(`</g>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** Writes the panels as an SVG file (creating its directory); returns the absolute path. */
export function writePlot(path: string, panels: Panel[], opts: PlotOptions = {}): string {
  const abs = resolve(path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, plotCurves(panels, opts));
  return abs;
}
