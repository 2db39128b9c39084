// check_page.mjs EXPECT.json SCREENSHOT.png PROFILE_DIR
//
// Loads podpub's public/index.html in Debian's chromium (driven by
// playwright-core, never a downloaded browser) from a local web server,
// and checks it against what feed.xml says (EXPECT.json, written by
// tests/scripts/test_page_browser.sh). Prints one line per check; exits 1
// if any failed, 2 if the browser could not be run at all.
//
// EXPECT.json: { page, origin, lang, show_title, feed_url, cover_url,
//   episodes: [{ name, title, enclosure, length, duration }] newest first,
//   xss_title, absent_titles: [...] }
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const [expectPath, shotPath, profileDir] = process.argv.slice(2);
if (!expectPath || !shotPath || !profileDir) {
  console.error('usage: node check_page.mjs EXPECT.json SCREENSHOT.png PROFILE_DIR');
  process.exit(2);
}
const exp = JSON.parse(readFileSync(expectPath, 'utf8'));
const require = createRequire(import.meta.url);
const pwVersion = require('playwright-core/package.json').version;

let passed = 0;
const failures = [];
function check(ok, what, detail) {
  if (ok) {
    passed++;
    console.log(`  ok: ${what}`);
  } else {
    failures.push(`${what}${detail === undefined ? '' : `: ${detail}`}`);
    console.log(`  FAIL: ${what}${detail === undefined ? '' : `: ${detail}`}`);
  }
}
const show = (v) => JSON.stringify(v);

// Everything the page does on the network, and everything it complains about.
const requests = [];
const external = [];
const failed = [];
const bad = [];
const consoleErrors = [];
const pageErrors = [];
const dialogs = [];

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
      '--autoplay-policy=no-user-gesture-required',
      // The browser itself may only reach this machine's test server.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
    viewport: { width: 1000, height: 800 },
    colorScheme: 'light',
    locale: 'nl-BE',
    timeout: 60000,
  });
} catch (e) {
  console.error(`check_page: cannot start ${CHROMIUM}: ${e.message}`);
  process.exit(2);
}

try {
  const browser = context.browser();
  console.log(`  chromium (via CDP): ${browser ? browser.version() : '?'}, ` +
              `playwright-core ${pwVersion}, node ${process.version}`);

  // Nothing leaves 127.0.0.1: anything else is recorded and aborted.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).hostname === '127.0.0.1') return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });

  const page = context.pages()[0] || await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => {
    // A media element that is re-pointed cancels its earlier fetch.
    const f = r.failure();
    if (!(r.resourceType() === 'media' && f && /ERR_ABORTED/.test(f.errorText)))
      failed.push(`${r.url()} (${f ? f.errorText : '?'})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) bad.push(`${r.url()} -> ${r.status()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });

  const resp = await page.goto(exp.page, { waitUntil: 'load', timeout: 30000 });
  check(resp && resp.status() === 200, `GET ${exp.page} -> 200`,
        resp ? resp.status() : 'no response');
  check(/^text\/html/.test((resp && resp.headers()['content-type']) || ''),
        'served as text/html', resp && resp.headers()['content-type']);
  const source = resp ? await resp.text() : '';
  await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});

  const dom = await page.evaluate(() => {
    const text = (e) => (e ? e.textContent : null);
    const img = document.querySelector('header img') || document.querySelector('img');
    const urls = [];
    const attrs = ['href', 'src', 'srcset', 'poster', 'action', 'formaction',
                   'data', 'cite', 'background', 'longdesc', 'manifest',
                   'ping', 'xlink:href'];
    const handlers = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (attrs.includes(a.name.toLowerCase())) {
          for (const part of a.name === 'srcset' ? a.value.split(',') : [a.value]) {
            const u = part.trim().split(/\s+/)[0];
            if (u) urls.push({ tag: el.tagName.toLowerCase(), attr: a.name,
                               raw: u, abs: new URL(u, document.baseURI).href });
          }
        }
        if (/^on/i.test(a.name)) handlers.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
      }
    }
    const css = [...document.querySelectorAll('style')].map((s) => s.textContent)
      .concat([...document.querySelectorAll('[style]')].map((e) => e.getAttribute('style')))
      .join('\n');
    for (const m of css.matchAll(/url\(\s*['"]?([^'")]+)/g))
      urls.push({ tag: 'style', attr: 'url()', raw: m[1], abs: new URL(m[1], document.baseURI).href });
    for (const m of css.matchAll(/@import\s+['"]([^'"]+)/g))
      urls.push({ tag: 'style', attr: '@import', raw: m[1], abs: new URL(m[1], document.baseURI).href });
    return {
      lang: document.documentElement.getAttribute('lang'),
      title: document.title,
      h1: text(document.querySelector('h1')),
      scripts: document.querySelectorAll('script').length,
      iframes: document.querySelectorAll('iframe, object, embed').length,
      handlers,
      urls,
      bodyText: document.body.innerText,
      img: img && { src: img.getAttribute('src'), alt: img.getAttribute('alt'),
                    complete: img.complete, naturalWidth: img.naturalWidth,
                    naturalHeight: img.naturalHeight },
      feedLinks: [...document.querySelectorAll('a[type="application/rss+xml"], link[type="application/rss+xml"]')]
        .map((a) => a.getAttribute('href')),
      articles: [...document.querySelectorAll('article')].map((a) => ({
        id: a.id,
        h3: text(a.querySelector('h3')),
        audios: [...a.querySelectorAll('audio')].map((x) => ({
          src: x.getAttribute('src'), controls: x.controls,
          preload: x.getAttribute('preload') })),
      })),
      h3s: [...document.querySelectorAll('h3')].map((h) => h.textContent),
    };
  });

  // The page as a whole.
  check(dom.lang === exp.lang, `<html lang="${exp.lang}">`, `lang is ${show(dom.lang)}`);
  check(dom.title === exp.show_title, '<title> is the show title', show(dom.title));
  check(dom.h1 === exp.show_title, '<h1> is the show title', show(dom.h1));
  check(dom.feedLinks.length > 0 && dom.feedLinks.every((h) => h === exp.feed_url),
        `subscribe links point at ${exp.feed_url}`, show(dom.feedLinks));

  // The episodes: count, order, titles, players.
  const want = exp.episodes;
  check(dom.articles.length === want.length, `${want.length} <article>s`,
        `${dom.articles.length}: ${show(dom.articles.map((a) => a.id))}`);
  check(show(dom.articles.map((a) => a.id)) === show(want.map((e) => e.name)),
        'articles newest first, ids as in the feed\'s <link>s',
        `${show(dom.articles.map((a) => a.id))}, want ${show(want.map((e) => e.name))}`);
  for (const e of want) {
    const a = dom.articles.find((x) => x.id === e.name);
    if (!a) { check(false, `article ${e.name}`, 'missing'); continue; }
    check(a.h3 === e.title, `${e.name}: <h3> is ${show(e.title)}`, show(a.h3));
    check(a.audios.length === 1, `${e.name}: one <audio>`, a.audios.length);
    const au = a.audios[0] || {};
    check(au.src === e.enclosure, `${e.name}: <audio src> is the feed's enclosure`,
          `${show(au.src)}, want ${show(e.enclosure)}`);
    check(au.controls === true && au.preload === 'none',
          `${e.name}: <audio controls preload="none">`, show(au));
  }
  for (const t of exp.absent_titles)
    check(!dom.bodyText.includes(t) && !source.includes(t),
          `not on the page: ${show(t)} (draft or scheduled)`);

  // The cover.
  check(!!dom.img, 'a cover <img>', 'none');
  if (dom.img) {
    check(dom.img.src === exp.cover_url, 'cover src is the feed\'s itunes:image',
          `${show(dom.img.src)}, want ${show(exp.cover_url)}`);
    check(typeof dom.img.alt === 'string' && dom.img.alt.trim() !== '' &&
          dom.img.alt.includes(exp.show_title),
          'cover has alt text naming the show', show(dom.img.alt));
    check(dom.img.complete && dom.img.naturalWidth > 0,
          `cover loaded (${dom.img.naturalWidth}x${dom.img.naturalHeight})`,
          show(dom.img));
  }

  // Escaping: a title with a <script> in it is text; nothing runs.
  check(dom.h3s.includes(exp.xss_title), `the title ${show(exp.xss_title)} shows as text`,
        show(dom.h3s));
  check(dom.scripts === 0, 'no <script> elements', dom.scripts);
  check(dom.iframes === 0, 'no <iframe>, <object> or <embed>', dom.iframes);
  check(dom.handlers.length === 0, 'no on* event-handler attributes', show(dom.handlers));
  const jsUrls = dom.urls.filter((u) => /^\s*(javascript|vbscript|data):/i.test(u.raw));
  check(jsUrls.length === 0, 'no javascript:, vbscript: or data: URLs', show(jsUrls));

  // Nothing from elsewhere.
  const allowed = new Set([exp.feed_url, ...want.map((e) => e.enclosure)]);
  const foreign = dom.urls.filter((u) => new URL(u.abs).origin !== exp.origin &&
                                         !allowed.has(u.abs));
  check(foreign.length === 0, `every URL in the DOM is on ${exp.origin} (or the feed/an enclosure)`,
        show(foreign));
  const inSource = [...source.matchAll(/(?:https?:)?\/\/[^\s"'<>)]+/g)].map((m) => m[0])
    .filter((u) => !u.startsWith(exp.origin + '/') && !allowed.has(u));
  check(inSource.length === 0, 'no other URLs anywhere in the HTML source', show(inSource));

  // Every URL the page points at is served by the layout (as a web
  // server would serve the show), the enclosures byte for byte.
  const feedResp = await context.request.get(exp.feed_url);
  check(feedResp.status() === 200 && (await feedResp.text()).includes('<rss'),
        `GET ${exp.feed_url} -> 200, RSS`, feedResp.status());
  for (const e of want) {
    const r = await context.request.get(e.enclosure);
    const body = r.status() === 200 ? await r.body() : Buffer.alloc(0);
    check(r.status() === 200 && body.length === e.length,
          `GET ${e.enclosure} -> 200, ${e.length} bytes (the feed's length)`,
          `${r.status()}, ${body.length} bytes`);
  }

  // The players work: each plays its audio to the end (muted, fast), and
  // the duration is the feed's itunes:duration. (Played, not just loaded:
  // python's http.server has no Range requests, so for Ogg the browser
  // learns the duration only at the end.)
  const played = await page.evaluate(async () => {
    const out = [];
    for (const a of document.querySelectorAll('audio')) {
      out.push(await new Promise((resolve) => {
        const t = setTimeout(() => resolve({ src: a.src, error: 'timeout', time: a.currentTime }), 20000);
        const done = (v) => { clearTimeout(t); resolve(v); };
        a.addEventListener('ended', () => done({ src: a.src, duration: a.duration, time: a.currentTime }), { once: true });
        a.addEventListener('error', () => done({ src: a.src, error: a.error ? `code ${a.error.code} ${a.error.message}` : 'error' }), { once: true });
        a.muted = true;
        a.playbackRate = 8;
        a.play().catch((e) => done({ src: a.src, error: `play(): ${e}` }));
      }));
      a.muted = false;
      a.playbackRate = 1;
      a.currentTime = 0;
    }
    return out;
  });
  for (const e of want) {
    const d = played.find((x) => x.src === e.enclosure);
    check(d && !d.error && Math.abs(d.duration - e.duration) <= 1.5,
          `${e.name}: the player plays it to the end: ${d && !d.error ? d.duration.toFixed(3) : '?'} s, ` +
          `the feed says ${e.duration} s`, show(d));
  }

  await page.waitForTimeout(500);   // a late dialog or error still counts
  check(dialogs.length === 0, 'no dialog fired (alert, confirm, prompt)', show(dialogs));
  check(pageErrors.length === 0, 'no page errors', show(pageErrors));
  check(consoleErrors.length === 0, 'no console errors', show(consoleErrors));
  check(failed.length === 0, 'no failed requests', show(failed));
  check(bad.length === 0, 'no HTTP error responses', show(bad));
  check(external.length === 0, 'no request left 127.0.0.1', show(external));
  const offOrigin = requests.filter((u) => new URL(u).origin !== exp.origin);
  check(offOrigin.length === 0, `every request went to ${exp.origin}`, show(offOrigin));
  console.log(`  (${requests.length} requests: ${show([...new Set(requests.map((u) => new URL(u).pathname))])})`);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shotPath, fullPage: true });
} catch (e) {
  failures.push(`the browser run stopped: ${e.stack || e}`);
  console.log(`  FAIL: the browser run stopped: ${e.stack || e}`);
} finally {
  await context.close().catch(() => {});
}

if (failures.length) {
  console.error(`check_page: ${failures.length} of ${passed + failures.length} checks failed:`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`check_page: all ${passed} checks passed`);
