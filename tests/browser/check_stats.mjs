// check_stats.mjs STATS.json PAGE.html SCREENSHOT.png PROFILE_DIR
//
// Loads the page `podpub stats --html` wrote (from file://) in Debian's
// chromium, driven by playwright-core, and checks it against `podpub
// stats --json` of the same logs (STATS.json): the four charts are there
// and drawn (downloads per day, the first 30 days with the median, apps,
// platforms), every number in the page equals the JSON's, and the page
// runs no script and asks for nothing (no request but the page itself, no
// console error). Prints one line per check; exits 1 if any failed, 2 if
// the browser could not be run at all.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const [statsPath, pagePath, shotPath, profileDir] = process.argv.slice(2);
if (!statsPath || !pagePath || !shotPath || !profileDir) {
  console.error('usage: node check_stats.mjs STATS.json PAGE.html SCREENSHOT.png PROFILE_DIR');
  process.exit(2);
}
const stats = JSON.parse(readFileSync(statsPath, 'utf8'));
const pageUrl = pathToFileURL(pagePath).href;

let passed = 0;
const failures = [];
function check(ok, what, detail) {
  if (ok) {
    passed++;
    console.log(`  ok: ${what}`);
  } else {
    failures.push(what);
    console.log(`  FAIL: ${what}${detail === undefined ? '' : `: ${detail}`}`);
  }
}
const show = (v) => JSON.stringify(v);

let context;
try {
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      '--disable-default-apps', '--disable-extensions',
      '--host-resolver-rules=MAP * ~NOTFOUND',
    ],
    viewport: { width: 900, height: 800 },
    colorScheme: 'light',
    timeout: 60000,
  });
} catch (e) {
  console.error(`check_stats: cannot start ${CHROMIUM}: ${e.message}`);
  process.exit(2);
}

try {
  const requests = [];
  const consoleErrors = [];
  const pageErrors = [];
  const page = context.pages()[0] || await context.newPage();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pageUrl) return route.continue();
    requests.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  await page.goto(pageUrl, { waitUntil: 'load', timeout: 30000 });
  await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});

  const dom = await page.evaluate(() => {
    const box = (id) => {
      const e = document.getElementById(id);
      if (!e) return null;
      const r = e.getBoundingClientRect();
      return { w: r.width, h: r.height, shapes: e.querySelectorAll('rect, polyline').length };
    };
    const handlers = [];
    for (const el of document.querySelectorAll('*'))
      for (const a of el.attributes)
        if (/^on/i.test(a.name)) handlers.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
    const num = (e, sel) => Number(e.querySelector(sel).textContent);
    return {
      scripts: document.querySelectorAll('script').length,
      external: [...document.querySelectorAll('[src], [href], [xlink\\:href]')].length,
      handlers,
      downloads: Number(document.getElementById('downloads').textContent),
      total: Number(document.getElementById('total').textContent),
      charts: Object.fromEntries(['chart-days', 'chart-curves', 'chart-apps',
                                  'chart-platforms'].map((id) => [id, box(id)])),
      days: [...document.querySelectorAll('#chart-days rect[data-date]')]
        .map((r) => [r.getAttribute('data-date'), Number(r.getAttribute('data-n'))]),
      curves: [...document.querySelectorAll('#chart-curves polyline.ep')]
        .map((p) => p.getAttribute('data-guid')),
      median: document.querySelectorAll('#chart-curves polyline.median').length,
      medianEpisodes: Number(document.getElementById('chart-curves')
        .getAttribute('data-median-episodes')),
      apps: [...document.querySelectorAll('#chart-apps g[data-name]')]
        .map((g) => [g.getAttribute('data-name'), Number(g.getAttribute('data-n'))]),
      platforms: [...document.querySelectorAll('#chart-platforms g[data-name]')]
        .map((g) => [g.getAttribute('data-name'), Number(g.getAttribute('data-n'))]),
      rows: [...document.querySelectorAll('tbody tr[data-guid]')].map((tr) => ({
        guid: tr.getAttribute('data-guid'),
        title: tr.querySelector('.title').textContent,
        first: [num(tr, '.first1'), num(tr, '.first7'), num(tr, '.first30')],
        total: num(tr, '.total'),
      })),
      h1: document.querySelector('h1').textContent,
    };
  });

  // Self-contained and inert.
  check(dom.scripts === 0, 'no <script> elements', dom.scripts);
  check(dom.handlers.length === 0, 'no event handler attributes', show(dom.handlers));
  check(dom.external === 0, 'no src or href attributes at all', dom.external);
  check(requests.length === 0, 'no request but the page itself', show(requests));
  check(consoleErrors.length === 0, 'no console errors', show(consoleErrors));
  check(pageErrors.length === 0, 'no page errors', show(pageErrors));
  check(dom.h1 === `Downloads: ${stats.show}`, '<h1> names the show', show(dom.h1));

  // The charts, drawn.
  for (const [id, b] of Object.entries(dom.charts))
    check(b && b.w > 300 && b.h > 50 && b.shapes > 0, `${id} drawn`, show(b));

  // The numbers, as --json has them.
  check(dom.downloads === stats.downloads, `${stats.downloads} downloads in the summary`,
        dom.downloads);
  check(dom.total === stats.downloads, 'the table\'s total', dom.total);
  check(show(dom.days) === show(stats.days.map((d) => [d.date, d.downloads])),
        `${stats.days.length} daily bars with the JSON's dates and counts`,
        show(dom.days));
  check(show(dom.curves.slice().sort()) === show(stats.episodes.map((e) => e.guid).sort()),
        'one 30-day curve per episode', show(dom.curves));
  const mEps = stats.median_first_30_days.episodes;
  check(dom.medianEpisodes === mEps && dom.median === (mEps > 0 ? 1 : 0),
        `the median line of ${mEps} episodes`, `${dom.median}, ${dom.medianEpisodes}`);
  const top = (list) => {
    const shown = list.slice(0, 10).map((a) => [a.name, a.downloads]);
    const other = list.slice(10).reduce((s, a) => s + a.downloads, 0);
    return other ? shown.concat([['other', other]]) : shown;
  };
  check(show(dom.apps) === show(top(stats.apps)), 'the apps chart is the JSON\'s apps',
        `${show(dom.apps)}, want ${show(top(stats.apps))}`);
  check(show(dom.platforms) === show(top(stats.platforms)),
        'the platforms chart is the JSON\'s platforms', show(dom.platforms));
  check(dom.rows.length === stats.episodes.length, `${stats.episodes.length} table rows`,
        dom.rows.length);
  for (const e of stats.episodes) {
    const r = dom.rows.find((x) => x.guid === e.guid);
    const want = [e.first_1_day, e.first_7_days, e.first_30_days];
    check(r && r.title === e.title && show(r.first) === show(want) && r.total === e.downloads,
          `row of ${show(e.title)}: ${show(want)}, ${e.downloads}`, show(r));
  }

  await page.screenshot({ path: shotPath, fullPage: true });
} catch (e) {
  check(false, 'the page could be checked', e.stack || String(e));
} finally {
  await context.close();
}

console.log(`check_stats: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
