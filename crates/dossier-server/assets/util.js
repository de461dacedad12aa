// Small helpers shared by the page's modules.

/** Build an element: h('a', {href: '#/'}, 'text', child...). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Credibility 1..6 as a class name (g0 when unknown). */
export function gradeClass(ev) {
  const g = ev?.grade;
  const c = typeof g === 'string' ? Number(g.slice(-1)) : Number(g?.credibility);
  return c >= 1 && c <= 6 ? `g${c}` : 'g0';
}

export const CREDIBILITY = {
  1: 'confirmed', 2: 'probably true', 3: 'possibly true', 4: 'doubtful', 5: 'improbable', 6: 'cannot be judged',
};

/** An actor tuple [code, name] (or an object, or a string) as a display name. */
export function actorName(a) {
  if (Array.isArray(a)) return a[1] || a[0] || '';
  if (a && typeof a === 'object') return a.name || a.code || '';
  return String(a ?? '');
}
export function actorCode(a) {
  if (Array.isArray(a)) return a[0] || '';
  if (a && typeof a === 'object') return a.code || '';
  return String(a ?? '');
}

/** "TYPE: A, B → C" */
export function eventLabel(ev) {
  const a = (ev.actors || []).map(actorName).filter(Boolean).join(', ');
  const r = (ev.recipients || []).map(actorName).filter(Boolean).join(', ');
  let s = ev.plover_type || 'EVENT';
  if (a || r) s += ': ' + (a || '?') + (r ? ' → ' + r : '');
  return s;
}

/** Parse a TIMEX-like day ("2024-06-24", "2024-06", "2024", with a time or not) to a Date. */
export function parseDay(s) {
  if (!s) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(String(s));
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many || one + 's'}`;
}

/** Link to a report's text with a span highlighted. */
export function evidenceHref(report, span) {
  if (report && typeof report === 'object') return evidenceHref(report.report, report.span);
  const [s, e] = Array.isArray(span) ? span : span ? [span.start, span.end] : [];
  const q = s !== undefined && e !== undefined ? `?start=${s}&end=${e}` : '';
  return `#/report/${encodeURIComponent(report)}${q}`;
}

export function actorHref(name) {
  return `#/actor/${encodeURIComponent(name)}`;
}

/** A JSON list from a response that may be a bare array or wrap it under a key. */
export function listOf(v, ...keys) {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') {
    for (const k of [...keys, 'items', 'results', 'hits']) if (Array.isArray(v[k])) return v[k];
  }
  return [];
}

/** Text with [bracketed] matches as <mark>s (FTS snippets). */
export function snippet(s) {
  const out = [];
  String(s ?? '').split(/(\[[^\]]*\])/).forEach((part) => {
    if (/^\[[^\]]*\]$/.test(part)) out.push(h('mark', {}, part.slice(1, -1)));
    else if (part) out.push(part);
  });
  return out;
}

export function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}
