// Pages: a report's text with the evidence highlighted, actors, stories, search results.

import { h, listOf, plural, evidenceHref, actorHref, actorName, eventLabel, gradeClass, snippet } from './util.js';
import { get, first, enc } from './api.js';

const val = (x) => (x && typeof x === 'object' && 'value' in x ? x.value : x);

function eventLink(ev) {
  return h('a', { href: `#/event/${enc(ev.id)}`, class: 'event-link' },
    h('span', { class: `dot ${gradeClass(ev)}`, 'aria-hidden': 'true' }), ev.time ? `${ev.time} ` : '', eventLabel(ev));
}

function eventList(events) {
  const list = listOf(events, 'events');
  if (!list.length) return h('p', { class: 'muted' }, 'No events.');
  return h('ul', { class: 'events' }, list.slice(0, 500).map((ev) => h('li', {}, typeof ev === 'string' ? h('a', { href: `#/event/${enc(ev)}` }, ev) : eventLink(ev))),
    list.length > 500 ? h('li', { class: 'muted' }, `and ${list.length - 500} more`) : '');
}

/** Split text at UTF-8 byte offsets (the API's spans) into [before, inside, after]. */
export function splitBytes(text, start, end) {
  const bytes = new TextEncoder().encode(text);
  const s = Math.max(0, Math.min(bytes.length, start | 0));
  const e = Math.max(s, Math.min(bytes.length, end | 0));
  const dec = new TextDecoder();
  return [dec.decode(bytes.subarray(0, s)), dec.decode(bytes.subarray(s, e)), dec.decode(bytes.subarray(e))];
}

export async function reportPage(el, id, params) {
  const start = params.get('start');
  const end = params.get('end');
  const span = start !== null && end !== null ? { start, end } : null;
  const r = await first([`/api/reports/${enc(id)}/text`, span || undefined], [`/api/reports/${enc(id)}`]);
  const full = r.document ? r : null;
  const doc = full?.document || r?.document || {};
  const meta = doc.metadata || {};
  const title = r.title || val(meta.title) || full?.title || id;
  const outlet = r.outlet || val(meta.outlet?.name) || meta.outlet?.domain || '';
  const published = r.published || val(meta.published) || '';
  const text = typeof r.text === 'string' ? r.text : doc.text || '';
  let parts;
  if (typeof r.highlight === 'string' || typeof r.before === 'string') {
    parts = [r.before || '', r.highlight || '', r.after || ''];
  } else if (span) {
    parts = splitBytes(text, +span.start, +span.end);
  } else {
    parts = [text, '', ''];
  }
  const url = full?.url || r.url;
  el.replaceChildren(h('article', { class: 'report' },
    h('p', { class: 'kicker' }, [outlet, published && String(published).slice(0, 10)].filter(Boolean).join(' · '), outlet || published ? ' · ' : '', h('code', {}, id)),
    h('h1', {}, title),
    url ? h('p', { class: 'muted url' }, url) : '',
    span ? h('p', { class: 'muted' }, 'The highlighted sentence is the evidence. ', h('a', { href: '#', onclick: (e) => { e.preventDefault(); history.back(); } }, 'Back')) : '',
    h('div', { class: 'text' }, parts[0], parts[1] ? h('mark', { id: 'hl', class: 'hl', tabindex: '-1' }, parts[1]) : '', parts[2])));
  const mark = el.querySelector('#hl');
  if (mark) {
    mark.scrollIntoView({ block: 'center' });
    mark.focus({ preventScroll: true });
  }
}

function chips(list, href) {
  if (!list.length) return h('p', { class: 'muted' }, 'None.');
  return h('ul', { class: 'chips' }, list.map(([name, n]) => h('li', {}, href ? h('a', { href: href(name) }, name) : name, n !== undefined ? h('span', { class: 'n' }, String(n)) : '')));
}

/** [name, count] pairs from an array of strings, pairs or objects, or a map. */
function pairs(v) {
  if (!v) return [];
  if (Array.isArray(v)) {
    return v.map((x) => (Array.isArray(x) ? [x[0], x[1]] : typeof x === 'object' ? [x.name || x.alias || x.value || x.place || x.role || JSON.stringify(x), x.count ?? x.n ?? x.mentions] : [x]));
  }
  if (typeof v === 'object') return Object.entries(v);
  return [[String(v)]];
}

export async function actorPage(el, name) {
  let a;
  try {
    a = await get(`/api/actors/${enc(name)}`);
  } catch (e) {
    if (e.status !== 404) throw e;
    // Event actors are often role words ("units", "the ministry"): offer what does match.
    const near = listOf(await get('/api/actors', { q: name.split(/\s+/).pop() }).catch(() => []), 'actors');
    el.replaceChildren(h('article', {},
      h('h1', {}, name),
      h('p', {}, 'No dossier page: no person, organisation or place named like this across reports. ',
        h('a', { href: `#/?actor=${enc(name)}` }, 'Events with this actor on the timeline'), '.'),
      near.length ? [h('h2', {}, 'Similar names'), h('ul', {}, near.map((x) => h('li', {}, h('a', { href: actorHref(x.name) }, x.name))))] : ''));
    return;
  }
  const quotes = listOf(a.quotes, 'quotes');
  const roles = listOf(a.roles, 'roles');
  const contra = listOf(a.contradictions, 'contradictions');
  el.replaceChildren(h('article', { class: 'actor-page' },
    h('p', { class: 'kicker' }, a.kind || a.type || 'actor', a.code ? ` · ${a.code}` : ''),
    h('h1', {}, a.name || name),
    h('section', { class: 'aliases' }, h('h2', {}, 'Aliases'), chips(pairs(a.aliases))),
    h('section', {}, h('h2', {}, 'Roles'), roles.length
      ? h('ul', {}, roles.map((r) => h('li', {}, typeof r === 'string' ? r : [r.role || r.title || r.name || '', r.from || r.first ? h('span', { class: 'muted' }, ` ${r.from || r.first || ''}${r.to || r.last ? ' – ' + (r.to || r.last) : ''}`) : '',
        r.evidence || r.report ? [' ', h('a', { href: evidenceHref(r.evidence || { report: r.report, span: r.span }), class: 'evidence', title: r.evidence?.text || '' }, 'evidence')] : '',
        r.report ? h('span', { class: 'muted' }, ` · ${r.report}`) : ''])))
      : h('p', { class: 'muted' }, 'None found.')),
    h('section', {}, h('h2', {}, 'Events'), eventList(a.events || [])),
    h('section', {}, h('h2', {}, `Quotes (${quotes.length})`), quotes.length
      ? h('ul', { class: 'quotes' }, quotes.slice(0, 200).map((q) => h('li', {},
        h('a', { class: 'evidence', href: evidenceHref(q.evidence?.report ? q.evidence : { report: q.report, span: q.span || q.evidence }) }, q.text || q.sentence || '(quote)'),
        h('div', { class: 'muted' }, q.outlet || '', q.published ? ` · ${day(q.published)}` : '', q.form ? ` · ${q.form}` : ''))))
      : h('p', { class: 'muted' }, 'None.')),
    h('section', {}, h('h2', {}, 'Places reported'), chips(pairs(a.places))),
    h('section', {}, h('h2', {}, 'Contradictions'), contra.length
      ? h('ul', {}, contra.map((c) => h('li', {}, c.slot || '', ': ', c.a_value || '', ' vs ', c.b_value || '',
        c.a ? [' ', h('a', { href: evidenceHref(c.a.report, c.a.span) }, 'one side')] : '',
        c.b ? [', ', h('a', { href: evidenceHref(c.b.report, c.b.span) }, 'other side')] : '',
        c.event ? [' · ', h('a', { href: `#/event/${enc(c.event)}` }, 'event')] : '')))
      : h('p', { class: 'muted' }, 'None.'))));
}

export async function actorsPage(el, q) {
  const list = listOf(q ? await get('/api/actors', { q, limit: 1000 }) : await get('/api/entities', null, { cached: true }), 'actors', 'entities');
  const needle = (q || '').toLowerCase();
  const shown = list.filter((e) => !needle || JSON.stringify(e).toLowerCase().includes(needle));
  el.replaceChildren(h('article', {},
    h('h1', {}, 'Actors'),
    h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); location.hash = `#/actors?q=${enc(e.target.q.value)}`; } },
      h('label', {}, 'Find ', h('input', { name: 'q', type: 'search', value: q || '' })), ' ', h('button', { type: 'submit' }, 'Find')),
    h('p', { class: 'muted' }, plural(shown.length, 'entity', 'entities')),
    h('ul', { class: 'columns' }, shown.slice(0, 1000).map((e) => {
      const name = typeof e === 'string' ? e : e.name || actorName(e);
      return h('li', {}, h('a', { href: actorHref(name) }, name), e.kind ? h('span', { class: 'muted' }, ` ${String(e.kind).toLowerCase()}`) : '',
        e.reports ? h('span', { class: 'n' }, String(e.reports)) : '');
    }))));
}

export async function storiesPage(el) {
  const stories = listOf(await get('/api/stories', null, { cached: true }), 'stories');
  el.replaceChildren(h('article', {},
    h('h1', {}, 'Stories'),
    h('p', { class: 'muted' }, plural(stories.length, 'story', 'stories')),
    h('ul', { class: 'stories' }, stories.map((s) => h('li', {},
      h('a', { href: `#/story/${enc(s.id)}` }, s.title || `story ${s.id}`),
      h('div', { class: 'muted' }, `${day(s.first)}${s.last && day(s.last) !== day(s.first) ? ' – ' + day(s.last) : ''} · `,
        `${plural(s.reports ?? 0, 'report')} · ${plural(s.outlets ?? 0, 'outlet')} · ${s.independent_reports ?? '?'} after collapsing copies`))))));
}

function day(s) {
  return s ? String(s).slice(0, 10) : '';
}

export async function storyPage(el, id) {
  const r = await get(`/api/stories/${enc(id)}`);
  const s = r.story || r;
  const events = r.events || (await get('/api/timeline', { story: id }).catch(() => []));
  const members = listOf(r.members || s.members, 'members');
  el.replaceChildren(h('article', { class: 'story-page' },
    h('p', { class: 'kicker' }, `story ${s.id ?? id}`, ' · ', h('a', { href: `#/?story=${enc(id)}` }, 'on the timeline')),
    h('h1', {}, s.title || `story ${id}`),
    h('p', {}, `${day(s.first)}${s.last ? ' – ' + day(s.last) : ''} · ${plural(s.reports ?? members.length, 'report')} · ${plural(s.outlets ?? 0, 'outlet')} · ${s.independent_reports ?? '?'} after collapsing copies`),
    h('section', {}, h('h2', {}, 'People, organisations and places'), chips(pairs(s.top_entities), actorHref)),
    h('section', {}, h('h2', {}, 'Events'), eventList(events)),
    h('section', {}, h('h2', {}, 'Reports'), h('ul', {}, members.map((m) => {
      const rid = typeof m === 'string' ? m : m.id;
      return h('li', {}, h('a', { href: `#/report/${enc(rid)}` }, typeof m === 'string' ? m : m.title || rid),
        typeof m === 'object' && m.outlet ? h('span', { class: 'muted' }, ` · ${m.outlet}`) : '');
    })))));
}

export async function searchPage(el, q) {
  if (!q) {
    el.replaceChildren(h('article', {}, h('h1', {}, 'Search'), h('p', { class: 'muted' }, 'Type words in the search box above.')));
    return;
  }
  const [hits, claims, traced] = await Promise.all([
    get('/api/search', { q }).then((v) => listOf(v, 'hits')),
    get('/api/claims', { q, limit: 50 }).then((v) => listOf(v, 'hits')).catch(() => []),
    get('/api/trace', { q }).catch(() => null),
  ]);
  // Merged events whose sentences hold the words (claims come from the claim index).
  const events = (traced?.choices || []).filter((t) => t.kind === 'event');
  if (!events.length && traced?.kind === 'event' && traced.root) events.push({ kind: 'event', id: traced.root.id, label: traced.root.label });
  el.replaceChildren(h('article', {},
    h('h1', {}, `Search: ${q}`),
    events.length ? h('section', {}, h('h2', {}, `Events (${events.length})`), h('ul', { class: 'hits' }, events.slice(0, 50).map((t) => h('li', {},
      h('a', { href: `#/event/${enc(t.id)}` }, t.label || t.id))))) : '',
    h('section', { class: 'claim-hits' }, h('h2', {}, `Claims (${claims.length})`), claims.length
      ? h('ol', { class: 'hits' }, claims.map((c) => h('li', {},
        h('a', { href: `#/claim/${enc(c.id)}`, class: 'claim-link' }, snippet(c.snippet)),
        h('div', { class: 'muted' }, h('span', { class: 'kind' }, c.commitment), ' ', c.chain,
          ' · ', h('a', { href: evidenceHref(c.report.id, [c.start, c.end]) }, c.report.title || c.report.id)))))
      : h('p', { class: 'muted' }, 'No claim holds these words.')),
    h('section', { class: 'report-hits' }, h('h2', {}, `Reports (${hits.length})`), hits.length
      ? h('ol', { class: 'hits' }, hits.map((x) => h('li', {},
        h('a', { href: `#/report/${enc(x.id)}` }, x.title || x.id),
        h('div', { class: 'muted' }, x.outlet || x.outlet_domain || '', x.published ? ` · ${day(x.published)}` : ''),
        h('p', { class: 'snippet' }, snippet(x.snippet)))))
      : h('p', { class: 'muted' }, 'Nothing found.'))));
}

/** One claim: its text, the chain down to its origin, counts and grade; returns the trace so
 * the caller can draw the provenance graph. */
export async function claimPage(el, id) {
  const t = await get(`/api/trace/${enc(id)}`);
  const root = t.root || {};
  const chain = [];
  for (let n = root; n; n = (n.children || [])[0]) chain.push(n);
  el.replaceChildren(h('article', {},
    h('h1', {}, 'Claim'),
    root.evidence ? h('blockquote', {}, h('a', { href: evidenceHref(root.evidence.report, root.evidence.span) }, root.evidence.text || root.label)) : h('p', {}, root.label || id),
    h('p', {}, plural(t.reports, 'report'), ' · ', plural(t.outlets, 'outlet'), ' · ', plural(t.origins, 'independent origin'),
      t.opaque_origins ? ` · ${plural(t.opaque_origins, 'opaque origin')}` : ''),
    t.grade ? h('p', {}, h('b', {}, `Grade ${t.grade.code}`), h('ul', {}, (t.grade.reasons || []).map((r) => h('li', {}, r)))) : '',
    h('section', {}, h('h2', {}, 'Chain'), h('ol', { class: 'chain' }, chain.map((n) => h('li', {},
      h('span', { class: 'kind' }, n.kind || ''), ' ', n.label || n.id,
      n.evidence ? h('div', {}, h('a', { href: evidenceHref(n.evidence.report, n.evidence.span), class: 'evidence' }, n.evidence.text || 'evidence')) : '')))),
    (t.events || []).length ? h('section', {}, h('h2', {}, 'In merged events'), eventList(t.events)) : '',
    h('p', {}, h('a', { href: `#/claim/${enc(id)}/graph`, class: 'graph-link' }, 'Provenance graph'))));
  return t;
}
