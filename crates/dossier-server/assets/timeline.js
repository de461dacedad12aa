// The timeline of merged events: vis-timeline fed only with what the window shows. Up to
// MAX_ITEMS events in view are drawn one by one; beyond that, events are grouped into
// buckets (one item per bucket, coloured by the best grade in it) so 10,000 events stay fast.

import { eventLabel, gradeClass, parseDay, plural, CREDIBILITY, esc } from './util.js';

const MAX_ITEMS = 250;
const BUCKETS = 48;
const DAY = 86400000;

export class EventTimeline {
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    this.events = []; // dated, sorted by time
    this.byId = new Map();
    this.items = new vis.DataSet();
    this.timeline = new vis.Timeline(container, this.items, {
      height: '100%',
      stack: true,
      zoomMin: DAY,
      orientation: { axis: 'top', item: 'top' },
      margin: { item: { horizontal: 2, vertical: 4 } },
      tooltip: { followMouse: false, overflowMethod: 'cap', delay: 150 },
      selectable: true,
      showCurrentTime: false,
      xss: { disabled: false },
    });
    this.timeline.on('select', (p) => this.select(p.items[0]));
    this.timeline.on('rangechanged', () => this.refresh());
    this.lastStats = null;
  }

  /** Replace the events; returns {dated, undated}. */
  setEvents(list) {
    const t0 = performance.now();
    const dated = [];
    const undated = [];
    this.byId.clear();
    for (const ev of list) {
      this.byId.set(ev.id, ev);
      const d = parseDay(ev.time) || parseDay(ev.mentions?.[0]?.published);
      if (d) dated.push({ t: d.getTime(), ev });
      else undated.push(ev);
    }
    dated.sort((a, b) => a.t - b.t);
    this.events = dated;
    if (dated.length) {
      const lo = dated[0].t;
      const hi = dated[dated.length - 1].t;
      const pad = Math.max(DAY, (hi - lo) * 0.05);
      this.timeline.setWindow(lo - pad, hi + pad + DAY, { animation: false });
    }
    this.refresh();
    this.lastStats = { ...this.lastStats, setMs: performance.now() - t0 };
    return { dated: dated.length, undated };
  }

  /** Redraw what the current window shows. */
  refresh() {
    const t0 = performance.now();
    const w = this.timeline.getWindow();
    const lo = w.start.getTime();
    const hi = w.end.getTime();
    const span = hi - lo;
    const a = lowerBound(this.events, lo - span * 0.5);
    const b = lowerBound(this.events, hi + span * 0.5);
    const inView = b - a;
    const items = [];
    if (inView <= MAX_ITEMS) {
      for (let i = a; i < b; i++) {
        const { t, ev } = this.events[i];
        items.push({
          id: ev.id,
          start: new Date(t),
          type: 'box',
          content: esc(eventLabel(ev)),
          title: tooltip(ev),
          className: `ev ${gradeClass(ev)}`,
        });
      }
    } else {
      // Buckets over twice the window so panning shows something at once.
      const width = Math.max(DAY, Math.ceil((span * 2) / BUCKETS / DAY) * DAY);
      let i = a;
      while (i < b) {
        const start = Math.floor(this.events[i].t / width) * width;
        const end = start + width;
        let best = 7;
        let n = 0;
        const types = new Map();
        while (i < b && this.events[i].t < end) {
          const ev = this.events[i].ev;
          const c = Number(ev.grade?.credibility) || 7;
          if (c < best) best = c;
          types.set(ev.plover_type, (types.get(ev.plover_type) || 0) + 1);
          n++;
          i++;
        }
        const top = [...types].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([k, v]) => `${k} ${v}`).join(', ');
        items.push({
          id: `cluster:${start}`,
          start: new Date(start),
          end: new Date(end),
          type: 'range',
          content: esc(plural(n, 'event')),
          title: esc(`${plural(n, 'event')} (${top}); best credibility ${best <= 6 ? best : '?'}. Click to zoom in.`),
          className: `cluster g${best <= 6 ? best : 0}`,
        });
      }
    }
    const keep = new Set(items.map((x) => x.id));
    const drop = this.items.getIds().filter((id) => !keep.has(id));
    this.items.remove(drop);
    this.items.update(items);
    this.lastStats = { ...(this.lastStats || {}), refreshMs: performance.now() - t0, drawn: items.length, inView };
    this.container.dataset.drawn = String(items.length);
  }

  select(id) {
    if (!id) return;
    if (String(id).startsWith('cluster:')) {
      const it = this.items.get(id);
      if (it) this.timeline.setWindow(it.start, it.end);
      this.timeline.setSelection([]);
      return;
    }
    this.onSelect?.(id);
  }

  /** Highlight an event (from a route); moves the window to it when it is not in view. */
  focus(id) {
    const ev = this.byId.get(id);
    if (!ev) return;
    const d = parseDay(ev.time) || parseDay(ev.mentions?.[0]?.published);
    if (d) {
      const w = this.timeline.getWindow();
      if (d < w.start || d > w.end) this.timeline.moveTo(d, { animation: false });
    }
    if (this.items.get(id)) this.timeline.setSelection([id]);
  }
}

function lowerBound(arr, t) {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (arr[m].t < t) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function tooltip(ev) {
  const g = ev.grade || {};
  const lines = [
    `<b>${esc(eventLabel(ev))}</b>`,
    `${esc(ev.time || 'undated')}${ev.place ? ' · ' + esc(ev.place) : ''}`,
    `${plural(ev.reports ?? 0, 'report')} · ${plural(ev.outlets ?? 0, 'outlet')} · ${plural(ev.origins ?? 0, 'independent origin')}` +
      (ev.opaque_origins ? ` · ${ev.opaque_origins} opaque` : ''),
  ];
  if (g.code) lines.push(`Grade ${esc(g.code)} (${esc(CREDIBILITY[g.credibility] || '')})`);
  if (ev.contradictions?.length) lines.push(`${plural(ev.contradictions.length, 'contradiction')}`);
  return lines.join('<br>');
}
