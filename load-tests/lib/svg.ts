/** Tiny inline-SVG charts for the HTML report (no scripts, no CDN: the report is one self-contained file). */

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
  /** Dashed line (secondary series). */
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logX?: boolean;
  width?: number;
  height?: number;
  /** Horizontal reference line (a target), labelled. */
  reference?: { y: number; label: string };
}

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** "Nice" tick values covering [min, max]. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function label(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  if (a >= 1 || a === 0) return `${+v.toFixed(1)}`;
  return `${+v.toPrecision(2)}`;
}

export function lineChart(o: ChartOptions): string {
  const W = o.width ?? 560;
  const H = o.height ?? 260;
  const m = { l: 56, r: 12, t: 28, b: 40 };
  const pts = o.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length === 0)
    return `<figure class="chart"><figcaption>${esc(o.title)}</figcaption><p class="empty">no data</p></figure>`;
  const fx = (x: number) => (o.logX ? Math.log10(Math.max(x, 1e-9)) : x);
  const xs = pts.map(([x]) => fx(x));
  const x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x1 === x0) x1 = x0 + 1;
  let y1 = Math.max(...pts.map(([, y]) => y), o.reference?.y ?? 0);
  const y0 = 0;
  if (y1 <= y0) y1 = 1;
  y1 *= 1.05;
  const px = (x: number) => m.l + ((fx(x) - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [];
  for (const t of ticks(y0, y1)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${py(t)}" y2="${py(t)}" class="grid"/>`);
    parts.push(`<text x="${m.l - 6}" y="${py(t) + 4}" text-anchor="end">${label(t)}</text>`);
  }
  const xTicks = o.logX
    ? ticks(Math.floor(x0), Math.ceil(x1), Math.max(1, Math.ceil(x1) - Math.floor(x0)))
        .filter((t) => Number.isInteger(t) && t >= x0 - 1e-9 && t <= x1 + 1e-9)
        .map((t) => 10 ** t)
    : ticks(x0, x1, 8);
  for (const t of xTicks) {
    parts.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${m.t}" y2="${H - m.b}" class="grid"/>`);
    parts.push(`<text x="${px(t)}" y="${H - m.b + 14}" text-anchor="middle">${label(t)}</text>`);
  }
  if (o.reference) {
    const y = py(o.reference.y);
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" class="ref"/><text x="${W - m.r - 4}" y="${y - 4}" text-anchor="end" class="reflabel">${esc(o.reference.label)}</text>`,
    );
  }
  for (const s of o.series) {
    const d = s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
      .join('');
    if (d)
      parts.push(
        `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${esc(s.name)}</title></path>`,
      );
  }
  let lx = m.l;
  const legend = o.series
    .map((s) => {
      const g = `<g transform="translate(${lx},12)"><rect width="10" height="10" y="-8" fill="${s.color}"/><text x="14" y="1">${esc(s.name)}</text></g>`;
      lx += 24 + s.name.length * 6;
      return g;
    })
    .join('');
  return `<figure class="chart"><figcaption>${esc(o.title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(o.title)}">
<g class="axes">${parts.join('')}</g>${legend}
<text x="${(W + m.l) / 2}" y="${H - 6}" text-anchor="middle" class="axis">${esc(o.xLabel)}</text>
<text transform="translate(12,${(H - m.b + m.t) / 2}) rotate(-90)" text-anchor="middle" class="axis">${esc(o.yLabel)}</text>
</svg></figure>`;
}
