// dossier's page: hash routes over the JSON API.
//   #/?story=&actor=&from=&to=&text=   timeline (with filters)
//   #/event/ID  #/event/ID/graph         an event's panel, its provenance graph
//   #/report/ID?start=&end=              a report's text with the evidence highlighted
//   #/actor/NAME  #/actors?q=  #/story/ID  #/stories  #/search?q=
//   #/claim/REPORT:cN  #/claim/REPORT:cN/graph   a claim's chain, its provenance graph

import { get, enc } from './api.js';
import { h, listOf, actorName, eventLabel, plural, debounce } from './util.js';
import { EventTimeline } from './timeline.js';
import { renderEvent } from './panel.js';
import { showGraph, destroyGraph } from './graph.js';
import { reportPage, actorPage, actorsPage, storiesPage, storyPage, searchPage, claimPage } from './pages.js';

const $ = (id) => document.getElementById(id);
const stats = (window.dossierStats = {});

let timeline = null;
let loadedKey = null;
let allEvents = [];
let shownEvents = [];
let textFilter = '';

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query || '') };
}

function filtersFrom(params) {
  return {
    story: params.get('story') || '',
    actor: params.get('actor') || '',
    from: params.get('from') || '',
    to: params.get('to') || '',
  };
}

let currentFilters = { story: '', actor: '', from: '', to: '' };

async function ensureTimeline(filters) {
  if (!timeline) {
    timeline = new EventTimeline($('timeline'), { onSelect: (id) => { location.hash = `#/event/${enc(id)}`; } });
    window.dossierTimeline = timeline;
  }
  const key = JSON.stringify(filters);
  if (key === loadedKey) return;
  loadedKey = key;
  currentFilters = filters;
  $('f-story').value = filters.story;
  $('f-actor').value = filters.actor;
  $('f-from').value = filters.from;
  $('f-to').value = filters.to;
  $('count').textContent = 'Loading…';
  const t0 = performance.now();
  let data;
  try {
    // Pages of the API's largest size until every event is in.
    data = await get('/api/timeline', { ...filters, limit: 10000 });
    const all = listOf(data, 'events');
    while (data && Number.isFinite(data.total) && all.length < data.total) {
      const more = await get('/api/timeline', { ...filters, limit: 10000, offset: all.length });
      const page = listOf(more, 'events');
      if (!page.length) break;
      all.push(...page);
    }
    data = all;
  } catch (e) {
    loadedKey = null;
    $('count').textContent = '';
    $('undated').replaceChildren(errorBox(e));
    return;
  }
  stats.fetchMs = performance.now() - t0;
  allEvents = listOf(data, 'events');
  applyText();
  stats.loadMs = performance.now() - t0;
}

function applyText() {
  const t0 = performance.now();
  const needle = textFilter.trim().toLowerCase();
  shownEvents = !needle ? allEvents : allEvents.filter((ev) => {
    const hay = [eventLabel(ev), ev.place, ev.time, ...(ev.actors || []).map((a) => a.join?.(' ')), ...(ev.recipients || []).map((a) => a.join?.(' '))]
      .join(' ').toLowerCase();
    return hay.includes(needle);
  });
  const { dated, undated } = timeline.setEvents(shownEvents);
  stats.renderMs = performance.now() - t0;
  stats.events = shownEvents.length;
  stats.drawn = timeline.lastStats?.drawn;
  const f = currentFilters;
  const active = [f.story && `story ${f.story}`, f.actor && `actor ${f.actor}`, f.from && `from ${f.from}`, f.to && `to ${f.to}`, needle && `“${needle}”`].filter(Boolean);
  $('count').textContent = `${plural(dated, 'event')} on the timeline${active.length ? ' (' + active.join(', ') + ')' : ''}`;
  $('undated').replaceChildren(undated.length
    ? h('details', {}, h('summary', {}, `${plural(undated.length, 'event')} without a date`),
      h('ul', {}, undated.slice(0, 200).map((ev) => h('li', {}, h('a', { href: `#/event/${enc(ev.id)}` }, eventLabel(ev))))))
    : '');
  $('timeline').dataset.events = String(dated);
}

function errorBox(e) {
  return h('div', { class: 'error', role: 'alert' }, h('b', {}, e.status === 404 ? 'Not found' : 'Could not load'), ': ', e.message || String(e),
    e.path ? h('span', { class: 'muted' }, ` (${e.path})`) : '');
}

function showTimelineView(on) {
  $('timeline-view').hidden = !on;
  $('page').hidden = on;
  if (on && timeline) timeline.timeline.redraw();
  for (const a of document.querySelectorAll('[data-nav]')) a.removeAttribute('aria-current');
}

function closePanel() {
  $('panel').hidden = true;
  document.body.classList.remove('with-panel');
}

function closeGraph() {
  $('graph-overlay').hidden = true;
  destroyGraph();
}

async function eventById(id) {
  try {
    const r = await get(`/api/events/${enc(id)}`);
    return r.event || r;
  } catch (e) {
    const ev = allEvents.find((x) => x.id === id);
    if (ev) return ev;
    throw e;
  }
}

async function route() {
  const { parts, params } = parseHash();
  const [head, arg, sub] = parts;
  stats.route = parts.join('/');
  if (!head || head === 'event') {
    showTimelineView(true);
    document.querySelector('[data-nav="timeline"]').setAttribute('aria-current', 'page');
    await ensureTimeline(head ? currentFilters : filtersFrom(params));
    if (head === 'event' && arg) {
      const body = $('panel-body');
      $('panel').hidden = false;
      document.body.classList.add('with-panel');
      body.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
      let ev;
      try {
        ev = await eventById(arg);
      } catch (e) {
        body.replaceChildren(errorBox(e));
        return;
      }
      body.replaceChildren(renderEvent(ev));
      timeline?.focus(arg);
      if (sub === 'graph') {
        $('graph-overlay').hidden = false;
        $('graph-title').textContent = `Provenance: ${eventLabel(ev)}`;
        const trace = await get(`/api/trace/${enc(arg)}`).catch(() => null);
        showGraph($('graph'), $('graph-info'), ev, trace);
        $('graph-close').focus();
      } else {
        closeGraph();
      }
    } else {
      closePanel();
      closeGraph();
    }
    return;
  }
  closePanel();
  closeGraph();
  showTimelineView(false);
  const nav = { stories: 'stories', story: 'stories', actors: 'actors', actor: 'actors' }[head];
  if (nav) document.querySelector(`[data-nav="${nav}"]`).setAttribute('aria-current', 'page');
  const el = $('page');
  el.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  window.scrollTo(0, 0);
  try {
    if (head === 'report' && arg) await reportPage(el, arg, params);
    else if (head === 'actor' && arg) await actorPage(el, arg);
    else if (head === 'actors') await actorsPage(el, params.get('q') || '');
    else if (head === 'story' && arg) await storyPage(el, arg);
    else if (head === 'stories') await storiesPage(el);
    else if (head === 'search') { $('search-q').value = params.get('q') || ''; await searchPage(el, params.get('q') || ''); }
    else if (head === 'claim' && arg) {
      const trace = await claimPage(el, arg);
      if (sub === 'graph') {
        $('graph-overlay').hidden = false;
        $('graph-title').textContent = 'Provenance of the claim';
        showGraph($('graph'), $('graph-info'), null, trace);
        $('graph-close').focus();
      }
    }
    else el.replaceChildren(h('article', {}, h('h1', {}, 'Not found'), h('p', {}, 'No page at this address. ', h('a', { href: '#/' }, 'Back to the timeline'))));
  } catch (e) {
    el.replaceChildren(h('article', {}, errorBox(e)));
  }
}

function filterHash() {
  const q = new URLSearchParams();
  for (const k of ['story', 'actor', 'from', 'to']) {
    const v = $(`f-${k}`).value.trim();
    if (v) q.set(k, v);
  }
  const s = q.toString();
  return s ? `#/?${s}` : '#/';
}

async function fillFilters() {
  try {
    const stories = listOf(await get('/api/stories', null, { cached: true }), 'stories');
    const sel = $('f-story');
    for (const s of stories) sel.append(h('option', { value: s.id }, `${s.title || 'story ' + s.id}`.slice(0, 70)));
    sel.value = currentFilters.story;
  } catch { /* no stories yet */ }
  try {
    const ents = listOf(await get('/api/entities', null, { cached: true }), 'entities', 'actors');
    $('actor-list').replaceChildren(...ents.slice(0, 2000).map((e) => h('option', { value: typeof e === 'string' ? e : e.name || actorName(e) })));
  } catch { /* optional */ }
}

function init() {
  if (!window.vis || !window.cytoscape) {
    document.body.prepend(h('div', { class: 'error', role: 'alert' }, 'The page could not load its libraries.'));
  }
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    textFilter = $('f-text').value;
    const target = filterHash();
    if (location.hash === target || (target === '#/' && !location.hash)) {
      if (timeline) applyText();
    } else {
      location.hash = target;
    }
  });
  $('f-text').addEventListener('input', debounce(() => { textFilter = $('f-text').value; if (timeline && loadedKey) applyText(); }, 200));
  $('f-story').addEventListener('change', () => { location.hash = filterHash(); });
  $('f-clear').addEventListener('click', () => {
    for (const k of ['story', 'actor', 'from', 'to', 'text']) $(`f-${k}`).value = '';
    textFilter = '';
    location.hash = '#/';
    if (timeline) applyText();
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('search-q').value.trim();
    if (q) location.hash = `#/search?q=${enc(q)}`;
  });
  const back = () => {
    const { parts } = parseHash();
    if (parts[0] === 'claim' && parts[1]) location.hash = parts[2] ? `#/claim/${enc(parts[1])}` : '#/';
    else location.hash = parts[0] === 'event' && parts[1] ? (parts[2] ? `#/event/${enc(parts[1])}` : filterHash()) : '#/';
  };
  $('panel-close').addEventListener('click', () => { location.hash = filterHash(); });
  $('graph-close').addEventListener('click', back);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && (!$('graph-overlay').hidden || !$('panel').hidden)) back(); });
  window.addEventListener('hashchange', route);
  fillFilters();
  route();
}

init();
