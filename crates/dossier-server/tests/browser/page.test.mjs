// Browser tests of dossier's page against a running `dossier serve` (scripts/browser-test.sh
// starts one on a store built from sample/ and sets DOSSIER_URL). playwright-core drives the
// system Chromium; nothing is downloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const BASE = process.env.DOSSIER_URL;
const SHOT = process.env.DOSSIER_SCREENSHOT;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!BASE) throw new Error('DOSSIER_URL is not set: run scripts/browser-test.sh');

let browser;
let errors = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => { await browser?.close(); });

async function open(hash = '#/', { width = 1440, height = 900 } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Console errors fail a test, except the browser's note on a 404 the page handles (an
  // actor or a claim that nothing matches).
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) errors.push(m.text()); });
  await page.goto(BASE + '/' + hash);
  return page;
}

/** Open the timeline and click the first event item (zooming into a group if need be). */
async function firstEvent(page) {
  await page.waitForSelector('.vis-item.vis-box.ev, .vis-item.vis-range.cluster', { timeout: 15000 });
  for (let i = 0; i < 12 && !(await page.$('.vis-item.vis-box.ev')); i++) {
    await page.click('.vis-item.vis-range.cluster');
    await page.waitForTimeout(200);
  }
  await page.click('.vis-item.vis-box.ev');
  await page.waitForSelector('#panel:not([hidden]) article.event');
}

test('timeline shows merged events coloured by grade', async () => {
  const page = await open();
  await page.waitForSelector('.vis-item.vis-box.ev, .vis-item.vis-range.cluster', { timeout: 15000 });
  const items = await page.$$eval('.vis-item.vis-box.ev, .vis-item.vis-range.cluster', (els) => els.map((e) => ({
    cls: e.className, colour: getComputedStyle(e).borderLeftColor, text: e.textContent,
  })));
  assert.ok(items.length > 0, 'no timeline items');
  for (const it of items) {
    assert.match(it.cls, /\bg[0-6]\b/, `item without a grade class: ${it.cls}`);
    assert.ok(it.text.trim().length > 0, 'empty item label');
  }
  // Graded items are drawn in their grade's colour (the legend's swatch).
  const graded = items.filter((it) => /\bg[1-6]\b/.test(it.cls));
  assert.ok(graded.length > 0, 'no graded event on the timeline');
  const swatch = await page.$eval(`.legend .sw.${/\b(g[1-6])\b/.exec(graded[0].cls)[1]}`, (e) => getComputedStyle(e, '::before').backgroundColor);
  assert.equal(graded[0].colour, swatch);
  const count = await page.textContent('#count');
  assert.match(count, /\d+ events? on the timeline/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('an event opens its panel and provenance graph; a graph node leads to its evidence', async () => {
  const page = await open();
  await firstEvent(page);
  const panel = await page.textContent('#panel');
  assert.match(panel, /reports/);
  assert.match(panel, /independent origins/);
  assert.match(page.url(), /#\/event\//);
  await page.click('#open-graph');
  await page.waitForSelector('#graph[data-nodes]');
  const nodes = Number(await page.getAttribute('#graph', 'data-nodes'));
  assert.ok(nodes > 0, 'graph without nodes');
  const drawn = await page.evaluate(() => document.querySelectorAll('#graph canvas').length);
  assert.ok(drawn > 0, 'cytoscape drew nothing');
  // Third click: a report node shows the supporting sentence with a link to it.
  const pos = await page.evaluate(() => {
    const cy = window.dossierGraph;
    const n = cy.nodes('[kind = "report"]')[0] || cy.nodes()[0];
    const p = n.renderedPosition();
    const r = document.getElementById('graph').getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  });
  await page.mouse.click(pos.x, pos.y);
  await page.waitForSelector('#graph-info a.evidence, #graph-info a.report-link');
  await page.click('#graph-info a.evidence, #graph-info a.report-link');
  await page.waitForSelector('.report .text');
  assert.match(page.url(), /#\/report\//);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('actor links lead to actor pages with aliases', async () => {
  const page = await open();
  // From the event panel: an actor link opens a page (a dossier, or what matches the name).
  await firstEvent(page);
  const link = await page.$('#panel a.actor');
  if (link) {
    await link.click();
    await page.waitForSelector('.page article h1');
    assert.match(page.url(), /#\/actor\//);
  }
  // From the actors list: the most reported entity's page shows its aliases, roles and events.
  await page.click('[data-nav="actors"]');
  await page.waitForSelector('.page ul.columns li a');
  const name = (await page.textContent('.page ul.columns li a')).trim();
  await page.click('.page ul.columns li a');
  await page.waitForSelector('.actor-page');
  assert.match(page.url(), /#\/actor\//);
  assert.equal((await page.textContent('.actor-page h1')).trim(), name);
  const aliases = await page.$$eval('.aliases li', (els) => els.map((e) => e.textContent));
  assert.ok(aliases.length > 0, `actor page of ${name} shows no aliases`);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('evidence opens the report with the sentence highlighted and in view', async () => {
  const page = await open();
  await firstEvent(page);
  const href = await page.getAttribute('#panel .mention a.evidence', 'href');
  const sentence = (await page.textContent('#panel .mention a.evidence')).trim();
  assert.match(href, /^#\/report\/.+\?start=\d+&end=\d+$/);
  await page.click('#panel .mention a.evidence');
  await page.waitForSelector('#hl');
  const mark = await page.$('#hl');
  assert.ok(await mark.isVisible(), 'highlight not visible');
  const inView = await mark.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; });
  assert.ok(inView, 'highlight not scrolled into view');
  const text = (await mark.textContent()).replace(/\s+/g, ' ').trim();
  assert.ok(text.length > 0);
  // The highlighted bytes are the sentence the event cites.
  assert.equal(text, sentence.replace(/\s+/g, ' '));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('search finds the claim and the report of a sentence; a claim opens its chain and graph', async () => {
  const page = await open();
  await firstEvent(page);
  const sentence = (await page.textContent('#panel .mention a.evidence')).trim();
  const words = sentence.split(/[^\p{L}]+/u).filter((w) => w.length > 4).slice(0, 2);
  assert.ok(words.length > 0, `no word to search in ${sentence}`);
  await page.fill('#search-q', words.join(' '));
  await page.press('#search-q', 'Enter');
  await page.waitForSelector('.page article h1');
  assert.match(page.url(), /#\/search\?q=/);
  const searchUrl = page.url();
  // The claim holding the sentence, with its chain; it opens the claim's page and graph.
  await page.waitForSelector('.claim-hits a.claim-link');
  await page.click('.claim-hits a.claim-link');
  await page.waitForSelector('.page ol.chain li');
  assert.match(page.url(), /#\/claim\//);
  await page.click('a.graph-link');
  await page.waitForFunction(() => Number(document.querySelector('#graph')?.dataset.nodes) >= 2);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#graph-overlay', { state: 'hidden' });
  await page.evaluate((u) => { location.hash = new URL(u).hash; }, searchUrl);
  await page.waitForSelector('.report-hits ol.hits li a');
  await page.click('.report-hits ol.hits li a');
  await page.waitForSelector('.report .text');
  assert.match(page.url(), /#\/report\//);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('10,000 events: render time', async () => {
  const N = 10000;
  const types = ['ASSAULT', 'PROTEST', 'ACCUSE', 'REQUEST', 'AGREE', 'COERCE', 'CONSULT', 'MOBILIZE'];
  const names = ['Russia', 'Ukraine', 'Wagner Group', 'Kremlin', 'Belarus', 'NATO', 'United Nations', 'Prigozhin'];
  // A deterministic generator: events over two years, several per day.
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const t0 = Date.UTC(2023, 0, 1);
  const events = Array.from({ length: N }, (_, i) => {
    const day = new Date(t0 + Math.floor(rnd() * 730) * 86400000).toISOString().slice(0, 10);
    const a = names[i % names.length];
    const b = names[(i * 3 + 1) % names.length];
    const c = 1 + Math.floor(rnd() * 6);
    return {
      id: `ev${i.toString(16).padStart(8, '0')}`, story: i % 50, plover_type: types[i % types.length], cameo: null,
      actors: [[a.slice(0, 3).toUpperCase(), a]], recipients: [[b.slice(0, 3).toUpperCase(), b]],
      time: day, time_from: 'mentions', reports: 1 + (i % 7), outlets: 1 + (i % 4), origins: 1 + (i % 3), opaque_origins: 0, negated: 0,
      mentions: [], contradictions: [], grade: { reliability: 'C', credibility: c, code: `C${c}`, reasons: [] }, why: 'generated',
    };
  });
  const body = JSON.stringify(events);
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.route('**/api/timeline**', (r) => r.fulfill({ status: 200, contentType: 'application/json', body }));
  const start = Date.now();
  await page.goto(BASE + '/#/');
  await page.waitForFunction(() => window.dossierStats?.renderMs !== undefined && document.querySelector('.vis-item'), null, { timeout: 30000 });
  const firstPaint = Date.now() - start;
  const stats = await page.evaluate(() => ({ ...window.dossierStats }));
  assert.equal(stats.events, N);
  assert.ok(stats.drawn > 0 && stats.drawn < 1000, `drew ${stats.drawn} items for ${N} events`);
  // Zoom in twice and out again, timing each redraw.
  const zooms = [];
  for (const f of [0.2, 0.2, 25]) {
    const z0 = Date.now();
    await page.evaluate((f) => new Promise((res) => {
      const ds = window.dossierTimeline;
      const w = ds.timeline.getWindow();
      const mid = (w.start.getTime() + w.end.getTime()) / 2;
      const half = (w.end - w.start) * f / 2;
      ds.timeline.once('rangechanged', () => setTimeout(res, 0));
      ds.timeline.setWindow(mid - half, mid + half, { animation: false });
    }), f);
    zooms.push({ ms: Date.now() - z0, ...(await page.evaluate(() => window.dossierTimeline.lastStats)) });
  }
  // Filtering by text over all events.
  const f0 = Date.now();
  await page.fill('#f-text', 'wagner');
  await page.waitForFunction((n) => window.dossierStats.events < n, N);
  const filterMs = Date.now() - f0;
  console.log(`10k events: page to first items ${firstPaint} ms (fetch ${stats.fetchMs?.toFixed(0)} ms, ` +
    `sort+draw ${stats.renderMs?.toFixed(0)} ms, ${stats.drawn} items drawn); zoom redraws ` +
    zooms.map((z) => `${z.ms} ms (refresh ${z.refreshMs.toFixed(1)} ms, ${z.drawn} items, ${z.inView} in view)`).join(', ') + `; text filter ${filterMs} ms (incl. 200 ms debounce)`);
  assert.ok(firstPaint < 20000, `first items after ${firstPaint} ms`);
  await ctx.close();
});

test('screenshot of an event on the sample corpus', { skip: !SHOT }, async () => {
  const page = await open('#/', { width: 1440, height: 860 });
  await firstEvent(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: SHOT });
  await page.context().close();
});
