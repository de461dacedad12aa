// The provenance graph of a merged event: origins at the top, then the sources that relayed
// each statement, then the reports (and their copies) at the bottom. Every node and link keeps
// the mentions it stands for, so a click shows the sentences that support it.

import { h, evidenceHref, plural } from './util.js';

let cy = null;

/** Nodes and edges (cytoscape elements) for an event; `copies` is [[original, copy], ...]. */
export function provenanceElements(ev, copies = []) {
  const nodes = new Map();
  const edges = new Map();
  const node = (id, label, kind, level, m) => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { data: { id, label, kind, level }, mentions: [] }));
    if (m && !n.mentions.includes(m)) n.mentions.push(m);
    n.data.level = Math.max(n.data.level, level);
    return n;
  };
  const edge = (a, b, m) => {
    if (a === b) return;
    const id = `${a}→${b}`;
    let e = edges.get(id);
    if (!e) edges.set(id, (e = { data: { id, source: a, target: b }, mentions: [] }));
    if (m) e.mentions.push(m);
  };
  for (const m of ev.mentions || []) {
    const chain = m.chain || [];
    const rid = `r:${m.report}`;
    const relays = chain.length > 2 ? chain.slice(1, -1) : [];
    const oid = `o:${m.origin || m.origin_name}`;
    node(oid, m.origin_name || m.origin || 'origin', m.opaque ? 'opaque' : m.origin_kind || 'source', 0, m);
    let prev = oid;
    relays.slice().reverse().forEach((name, i) => {
      const sid = `s:${String(name).toLowerCase()}`;
      if (`o:${name}` === oid || name === m.origin_name) return;
      node(sid, name, 'relay', i + 1, m);
      edge(prev, sid, m);
      prev = sid;
    });
    node(rid, `${m.outlet || 'report'}\n${short(m.report)}`, 'report', relays.length + 1, m).report = m.report;
    edge(prev, rid, m);
  }
  for (const [orig, copy] of copies) {
    const a = `r:${orig}`;
    if (!nodes.has(a)) continue;
    const n = node(`r:${copy}`, `copy\n${short(copy)}`, 'copy', nodes.get(a).data.level + 1);
    n.report = copy;
    edge(a, `r:${copy}`);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Nodes and edges from the API's provenance tree (event → claim → report → sources → origin,
 * and report → copy → the earlier report), turned over so origins come first. */
export function traceElements(trace) {
  const nodes = new Map();
  const edges = new Map();
  const node = (id, label, kind, ev, extra) => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { data: { id, label, kind, level: 0 }, mentions: [], ...extra }));
    if (ev && !n.mentions.some((m) => m.report === ev.report && m.evidence?.[0] === ev.evidence?.[0])) n.mentions.push(ev);
    return n;
  };
  const edge = (a, b, ev, kind) => {
    if (a === b) return;
    const id = `${a}→${b}`;
    let e = edges.get(id);
    if (!e) edges.set(id, (e = { data: { id, source: a, target: b, kind: kind || '' }, mentions: [] }));
    if (ev) e.mentions.push(ev);
  };
  const asMention = (n, outlet) => n.evidence && {
    report: n.evidence.report, evidence: n.evidence.span, sentence: n.evidence.text,
    outlet: outlet || '', chain: [n.kind, n.detail].filter(Boolean),
  };
  const nodeId = (n) => {
    if (n.kind === 'report') return `r:${n.id || n.label}`;
    if (n.kind === 'origin') return `o:${n.id || n.label}`;
    return `s:${String(n.label).toLowerCase()}`;
  };
  const reportLabel = (n) => String(n.label || n.id).split(' — ')[0] + `\n${short(n.id || '')}`;
  // Walk below a report: its chain (source → … → origin) points up into it; copies point down.
  const underReport = (rid, r, outlet) => {
    for (const c of r.children || []) {
      if (c.kind === 'copy') {
        const earlier = (c.children || []).find((x) => x.kind === 'report');
        if (!earlier) continue;
        const eid = nodeId(earlier);
        node(eid, reportLabel(earlier), 'report', asMention(earlier), { report: earlier.id });
        edge(eid, rid, asMention(c, c.label), 'copy');
        underReport(eid, earlier, outlet);
        continue;
      }
      let below = rid;
      let n = c;
      while (n) {
        const id = nodeId(n);
        const kind = n.kind === 'origin' ? (/opaque/.test(n.detail || '') ? 'opaque' : n.detail || 'origin') : 'relay';
        node(id, n.label || '?', kind, asMention(n, outlet));
        edge(id, below, asMention(n, outlet));
        below = id;
        n = (n.children || [])[0];
      }
    }
  };
  const walk = (n, claim) => {
    if (n.kind === 'claim') { for (const c of n.children || []) walk(c, n); return; }
    if (n.kind === 'report') {
      const outlet = String(n.label || '').split(' — ')[0];
      const rid = nodeId(n);
      const ev = claim ? asMention({ ...claim, kind: 'claim' }, outlet) : asMention(n, outlet);
      node(rid, reportLabel(n), 'report', ev, { report: n.id });
      underReport(rid, n, outlet);
      return;
    }
    for (const c of n.children || []) walk(c, claim);
  };
  if (trace?.root) walk(trace.root, null);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function short(id) {
  const s = String(id);
  return s.length > 14 ? s.slice(0, 12) + '…' : s;
}

export function showGraph(container, info, ev, trace) {
  let { nodes, edges } = traceElements(trace);
  if (!nodes.length && ev) ({ nodes, edges } = provenanceElements(ev));
  if (cy) { cy.destroy(); cy = null; }
  const byId = new Map([...nodes, ...edges].map((x) => [x.data.id, x]));
  cy = cytoscape({
    container,
    elements: [...nodes.map((n) => ({ group: 'nodes', data: n.data })), ...edges.map((e) => ({ group: 'edges', data: e.data }))],
    style: [
      { selector: 'node', style: {
        label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 140, 'font-size': 11, 'font-family': 'system-ui, sans-serif',
        'text-valign': 'bottom', 'text-margin-y': 4, color: '#1d2330', width: 22, height: 22, 'background-color': '#5b6b8c',
        'border-width': 2, 'border-color': '#fff' } },
      { selector: 'node[kind = "report"]', style: { shape: 'round-rectangle', 'background-color': '#2f5d9b', width: 30 } },
      { selector: 'node[kind = "copy"]', style: { shape: 'round-rectangle', 'background-color': '#9aa7bd' } },
      { selector: 'node[kind = "relay"]', style: { 'background-color': '#7d8aa6', shape: 'diamond' } },
      { selector: 'node[kind = "anonymous"]', style: { 'background-color': '#8e5ea2' } },
      { selector: 'node[kind = "opaque"]', style: { 'background-color': '#b0b0b0', 'border-style': 'dashed', 'border-color': '#777' } },
      { selector: 'node[kind = "credit"]', style: { 'background-color': '#c77c1e' } },
      { selector: 'node[kind = "source"]', style: { 'background-color': '#2e7d32' } },
      { selector: 'edge', style: { width: 2, 'line-color': '#b7c0d0', 'target-arrow-color': '#b7c0d0', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier' } },
      { selector: 'edge[kind = "copy"]', style: { 'line-style': 'dashed', label: 'copy', 'font-size': 10, color: '#5d6677' } },
      { selector: ':selected', style: { 'border-color': '#f0a000', 'border-width': 4, 'line-color': '#f0a000', 'target-arrow-color': '#f0a000' } },
    ],
    layout: {
      name: 'breadthfirst', directed: true, spacingFactor: 1.1, padding: 20, animate: false,
      roots: nodes.filter((n) => !edges.some((e) => e.data.target === n.data.id)).map((n) => n.data.id),
    },
  });
  window.dossierGraph = cy;
  container.dataset.nodes = String(nodes.length);
  container.dataset.edges = String(edges.length);
  const show = (x) => {
    const item = byId.get(x.id());
    info.replaceChildren(describe(item, x.isNode() ? x.data('label') : `${x.source().data('label')} → ${x.target().data('label')}`));
  };
  cy.on('tap', 'node, edge', (e) => show(e.target));
  info.replaceChildren(h('p', { class: 'muted' },
    `${plural(nodes.length, 'node')}, ${plural(edges.length, 'link')}. Origins at the top, reports at the bottom. Click a node or link to see its evidence.`));
  return cy;
}

function describe(item, title) {
  const ms = item?.mentions || [];
  return h('div', {},
    h('h3', {}, title),
    item?.report ? h('p', {}, h('a', { href: evidenceHref(item.report), class: 'report-link' }, 'Open the report')) : '',
    ms.length ? h('ul', { class: 'evidence-list' }, ms.map((m) => h('li', {},
      h('a', { href: evidenceHref(m.report, m.evidence), class: 'evidence' }, m.sentence || '(sentence)'),
      h('div', { class: 'muted' }, m.outlet, ' · ', (m.chain || []).join(' → ')))))
      : h('p', { class: 'muted' }, 'No sentence of its own (a copy of the report above).'));
}

export function destroyGraph() {
  if (cy) { cy.destroy(); cy = null; }
}
