// The side panel of one merged event.

import { h, actorName, eventLabel, gradeClass, plural, evidenceHref, actorHref, CREDIBILITY } from './util.js';

const KIND = {
  source: 'named source', anonymous: 'anonymous source', opaque: 'opaque reference',
  credit: 'credited wire or outlet', report: "the report's own voice",
};

export function renderEvent(ev) {
  const g = ev.grade || {};
  const actors = (list) => (list || []).map((a, i) => [i ? ', ' : '', h('a', { href: actorHref(actorName(a)), class: 'actor' }, actorName(a))]);
  const groups = new Map();
  for (const m of ev.mentions || []) {
    const key = m.origin || m.origin_name || '?';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  return h('article', { class: 'event', 'data-event': ev.id },
    h('p', { class: 'kicker' }, ev.plover_type || 'event', ev.cameo ? ` · CAMEO ${ev.cameo}` : ''),
    h('h2', {}, eventLabel(ev)),
    h('p', { class: 'who' },
      (ev.actors || []).length ? actors(ev.actors) : h('span', { class: 'muted' }, 'unknown actor'),
      (ev.recipients || []).length ? [' → ', actors(ev.recipients)] : ''),
    h('p', { class: 'when' }, ev.time || 'undated', ev.time_from ? h('span', { class: 'muted' }, ` (${ev.time_from})`) : '',
      ev.place ? [' · ', ev.place] : '',
      ev.story !== undefined && ev.story !== null ? [' · ', h('a', { href: `#/story/${ev.story}` }, `story ${ev.story}`)] : ''),
    h('div', { class: 'counts', role: 'group', 'aria-label': 'Counted apart' },
      count(ev.reports, 'reports'), count(ev.outlets, 'outlets'), count(ev.origins, 'independent origins'),
      ev.opaque_origins ? count(ev.opaque_origins, 'opaque origins') : '', ev.negated ? count(ev.negated, 'denials') : ''),
    h('section', { class: `grade ${gradeClass(ev)}` },
      h('p', {}, h('span', { class: `badge ${gradeClass(ev)}` }, g.code || '?'), ' ',
        g.reliability ? `source reliability ${g.reliability}, ` : '',
        g.credibility ? `credibility ${g.credibility} (${CREDIBILITY[g.credibility] || ''})` : 'not graded'),
      (g.reasons || []).length ? h('ul', { class: 'reasons' }, g.reasons.map((r) => h('li', {}, r))) : ''),
    h('p', {}, h('button', { type: 'button', class: 'primary', id: 'open-graph', onclick: () => { location.hash = `#/event/${encodeURIComponent(ev.id)}/graph`; } }, 'Provenance graph')),
    (ev.contradictions || []).length
      ? h('section', { class: 'contradictions' }, h('h3', {}, plural(ev.contradictions.length, 'contradiction')),
        ev.contradictions.map((c) => h('div', { class: 'contra' },
          h('p', { class: 'slot' }, c.slot, ': ', h('b', {}, c.a_value), ' vs ', h('b', {}, c.b_value),
            c.same_report ? h('span', { class: 'muted' }, ' (same report)') : '',
            c.independent ? h('span', { class: 'muted' }, ' (independent origins)') : ''),
          side(c.a), side(c.b))))
      : '',
    h('section', { class: 'mentions' }, h('h3', {}, `Mentions by origin (${plural(groups.size, 'origin')})`),
      [...groups.values()].map((ms) => h('div', { class: 'origin' },
        h('h4', {}, ms[0].origin_name || ms[0].origin || '?', ' ',
          h('span', { class: `kind ${ms[0].opaque ? 'opaque' : ''}` }, KIND[ms[0].origin_kind] || ms[0].origin_kind || '')),
        ms.map(mention)))),
    ev.why ? h('p', { class: 'why muted' }, 'Merged because: ', ev.why) : '');
}

function count(n, label) {
  return h('div', { class: 'count-box' }, h('b', {}, String(n ?? 0)), h('span', {}, label));
}

function side(e) {
  if (!e) return '';
  return h('blockquote', {}, h('a', { href: evidenceHref(e.report, e.span), class: 'evidence' }, e.text || '(sentence)'),
    h('footer', {}, e.report));
}

function mention(m) {
  const flags = [m.negated && 'denies', m.hedged && 'hedged', m.opaque && 'opaque'].filter(Boolean);
  return h('div', { class: 'mention' },
    h('a', { href: evidenceHref(m.report, m.evidence), class: 'evidence' }, m.sentence || '(sentence)'),
    h('p', { class: 'chain' },
      h('span', { class: 'outlet' }, m.outlet), ' · ',
      (m.chain || []).join(' → '),
      flags.length ? h('span', { class: 'flags' }, ' · ', flags.join(', ')) : ''),
    (m.caveats || []).length ? h('p', { class: 'caveat' }, 'Caveat: ', m.caveats.join('; ')) : '');
}
