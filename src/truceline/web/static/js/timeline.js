// A timeline with brushing: a histogram of events over time, stacked by party, on a canvas;
// drag across it to select a period (pointer events: mouse, pen and touch alike), drag the
// selection to move it, tap outside it or press "All times" to clear it. The axis is in UTC,
// its dates written as the page's language writes them.

import { LOCALE } from "./session.js";

const MIN_BRUSH_PX = 4;
const AXIS_FORMAT = new Intl.DateTimeFormat(LOCALE, {
  month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC",
});

/** A tick's label: day, month and time in UTC (21 Nov, 06:05 / 21 лист., 06:05). */
export function axisLabel(ms) {
  return AXIS_FORMAT.format(new Date(ms));
}

export class Timeline {
  constructor(canvas, { onChange, binCount = 96 } = {}) {
    this.canvas = canvas;
    this.onChange = onChange ?? (() => {});
    this.binCount = binCount;
    this.range = [0, 1];
    this.bins = [];
    this.colours = {};
    this.selection = null; // [startMs, endMs) or null for all times
    this.drag = null;
    canvas.addEventListener("pointerdown", (e) => this.#down(e));
    canvas.addEventListener("pointermove", (e) => this.#move(e));
    canvas.addEventListener("pointerup", (e) => this.#up(e));
    canvas.addEventListener("pointercancel", () => { this.drag = null; this.draw(); });
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** Count the records (already filtered but for time) into bins over [start, end). */
  setData(records, start, end, colours) {
    this.range = [start, Math.max(end, start + 1)];
    this.colours = colours;
    const width = (this.range[1] - this.range[0]) / this.binCount;
    this.bins = Array.from({ length: this.binCount }, () => ({ total: 0, by: {} }));
    for (const r of records) {
      const i = Math.min(this.binCount - 1, Math.max(0, Math.floor((r.t - start) / width)));
      const bin = this.bins[i];
      bin.total += 1;
      const key = r.party ?? "";
      bin.by[key] = (bin.by[key] ?? 0) + 1;
    }
    this.draw();
  }

  /** Select [start, end) (milliseconds) or, with null, all times; listeners are told. */
  select(selection) {
    this.selection = selection && selection[1] > selection[0] ? selection : null;
    this.draw();
    this.onChange(this.selection);
  }

  #x(t) {
    const [a, b] = this.range;
    return ((t - a) / (b - a)) * this.canvas.clientWidth;
  }

  #t(x) {
    const [a, b] = this.range;
    const clamped = Math.min(Math.max(x, 0), this.canvas.clientWidth);
    return a + (clamped / this.canvas.clientWidth) * (b - a);
  }

  #offset(event) {
    return event.clientX - this.canvas.getBoundingClientRect().left;
  }

  #down(event) {
    this.canvas.setPointerCapture(event.pointerId);
    const x = this.#offset(event);
    const inside = this.selection
      && x >= this.#x(this.selection[0]) && x <= this.#x(this.selection[1]);
    this.drag = inside
      ? { mode: "move", x0: x, original: [...this.selection] }
      : { mode: "brush", x0: x, x1: x };
    this.draw();
  }

  #move(event) {
    if (!this.drag) return;
    const x = this.#offset(event);
    if (this.drag.mode === "brush") {
      this.drag.x1 = x;
    } else {
      const shift = this.#t(x) - this.#t(this.drag.x0);
      const [a, b] = this.drag.original;
      const low = this.range[0] - a;
      const high = this.range[1] - b;
      const clamped = Math.min(Math.max(shift, low), high);
      this.selection = [a + clamped, b + clamped];
    }
    this.draw();
  }

  #up(event) {
    if (!this.drag) return;
    const drag = this.drag;
    this.drag = null;
    if (drag.mode === "brush") {
      const x1 = this.#offset(event);
      const [lo, hi] = [Math.min(drag.x0, x1), Math.max(drag.x0, x1)];
      this.select(hi - lo < MIN_BRUSH_PX ? null : [this.#t(lo), this.#t(hi)]);
    } else {
      this.select(this.selection);
    }
  }

  draw() {
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const axis = 14;
    const top = height - axis;
    const max = Math.max(1, ...this.bins.map((b) => b.total));
    const barWidth = width / Math.max(1, this.bins.length);
    this.bins.forEach((bin, i) => {
      let y = top;
      for (const [party, n] of Object.entries(bin.by)) {
        const h = (n / max) * (top - 4);
        g.fillStyle = this.colours[party] ?? "#7a7f87";
        g.fillRect(i * barWidth + 0.5, y - h, Math.max(1, barWidth - 1), h);
        y -= h;
      }
    });
    this.#drawAxis(g, width, height, axis);
    this.#drawSelection(g, width, top);
  }

  #drawAxis(g, width, height, axis) {
    g.fillStyle = "#495057";
    g.font = "11px system-ui, sans-serif";
    g.textBaseline = "bottom";
    const [a, b] = this.range;
    const ticks = Math.max(2, Math.floor(width / 120));
    let free = 0; // labels are left out rather than drawn over one another
    for (let i = 0; i <= ticks; i += 1) {
      const t = a + ((b - a) * i) / ticks;
      const label = axisLabel(t);
      const w = g.measureText(label).width;
      const x = Math.min((width * i) / ticks, width - w);
      if (x < free) continue;
      g.fillText(label, x, height);
      free = x + w + 8;
    }
    g.fillRect(0, height - axis, width, 1);
  }

  #drawSelection(g, width, top) {
    let span = null;
    if (this.drag?.mode === "brush") span = [this.drag.x0, this.drag.x1].sort((p, q) => p - q);
    else if (this.selection) span = [this.#x(this.selection[0]), this.#x(this.selection[1])];
    if (!span) return;
    g.fillStyle = "rgba(33, 37, 41, 0.12)";
    g.fillRect(0, 0, span[0], top);
    g.fillRect(span[1], 0, width - span[1], top);
    g.strokeStyle = "#212529";
    g.lineWidth = 2;
    g.strokeRect(span[0], 1, span[1] - span[0], top - 2);
  }
}
