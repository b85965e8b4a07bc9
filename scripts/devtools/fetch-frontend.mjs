// Copies Chrome DevTools' heap-snapshot worker (as bundled inside the local chromium) into a
// directory, so that heap-snapshot-check.mjs can run DevTools' own code under node.
//
//   node scripts/devtools/fetch-frontend.mjs WORKDIR
//
// Starts headless chromium with --remote-debugging-port=0 (the browser picks a free port and
// writes it to WORKDIR/profile/DevToolsActivePort), then downloads
// /devtools/entrypoints/heap_snapshot_worker/heap_snapshot_worker.js and every module it
// imports (static `import ... from "x"`, `export ... from "x"` and dynamic `import("x")`),
// keeping their paths under WORKDIR/devtools/. Profile, HOME and caches stay in WORKDIR.
// Prints {"chromium": "<version>", "modules": N, "root": "<dir>"} on success.
// Exit status: 0 done; 3 chromium is absent or its frontend could not be fetched (callers
// skip); 64 usage.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir as systemTemporaryDirectory } from 'node:os';
import { dirname, join, posix } from 'node:path';

const workdir = process.argv[2];
if (!workdir) {
  console.error('usage: fetch-frontend.mjs WORKDIR');
  process.exit(64);
}
const entry = 'entrypoints/heap_snapshot_worker/heap_snapshot_worker.js';

let browser = null;
let exited = false;

// Gives up (exit status 3, callers skip), stopping the browser this script started.
function skip(message) {
  console.error(`devtools: ${message}`);
  if (browser !== null && !exited) browser.kill('SIGTERM');
  process.exit(3);
}

function findChromium() {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const candidate = join(dir, 'chromium');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const chromium = findChromium();
if (!chromium) skip('chromium is not on PATH');
// Chromium's own TMPDIR: a directory of ours, with a short path (its singleton socket lives
// there, and a Unix socket path has at most 107 bytes), removed when this script ends.
const tmpdir = mkdtempSync(join(systemTemporaryDirectory(), 'c.'));
process.on('exit', () => rmSync(tmpdir, { recursive: true, force: true }));
let version = 'unknown';
try {
  version = execFileSync(chromium, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TMPDIR: tmpdir } }).trim();
} catch { /* the version is only reported */ }

const profile = join(workdir, 'profile');
mkdirSync(profile, { recursive: true });
const args = ['--headless=new', '--disable-gpu', '--no-first-run', '--disable-extensions',
  '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'];
if (process.getuid?.() === 0) args.unshift('--no-sandbox');
browser = spawn(chromium, args, {
  stdio: 'ignore',
  // TMPDIR too: chromium makes org.chromium.Chromium.* there and may leave them behind.
  env: { ...process.env, HOME: workdir, TMPDIR: tmpdir, XDG_CONFIG_HOME: join(workdir, 'config'), XDG_CACHE_HOME: join(workdir, 'cache') },
});
browser.on('exit', () => { exited = true; });

async function fetchAll() {
  const portFile = join(profile, 'DevToolsActivePort');
  const deadline = Date.now() + 30_000;
  while (!existsSync(portFile) || readFileSync(portFile, 'utf8').split('\n')[0] === '') {
    if (exited) skip('chromium exited before opening its debugging port');
    if (Date.now() > deadline) skip('chromium did not open its debugging port within 30 s');
    await sleep(100);
  }
  const port = readFileSync(portFile, 'utf8').split('\n')[0].trim();
  const base = `http://127.0.0.1:${port}/devtools/`;
  const root = join(workdir, 'devtools');
  const seen = new Set([entry]);
  const queue = [entry];
  // Minified modules: `import*as x from"../a.js"`, `export{...}from"./b.js"`, `import("./c.js")`.
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])(\.{1,2}\/[^"'\s]+?\.js)\1/g;
  while (queue.length > 0) {
    const path = queue.pop();
    let response;
    try {
      response = await fetch(base + path);
    } catch (error) {
      skip(`cannot fetch ${base + path}: ${error.message}`);
    }
    if (!response.ok) skip(`${base + path}: HTTP ${response.status}`);
    const text = await response.text();
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    for (const match of text.matchAll(specifier)) {
      const target = posix.normalize(posix.join(posix.dirname(path), match[2]));
      if (target.startsWith('..')) continue;
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  // Node treats .js as CommonJS unless told otherwise.
  writeFileSync(join(root, 'package.json'), '{"type": "module"}\n');
  return { chromium: version, modules: seen.size, root };
}

try {
  const result = await fetchAll();
  console.log(JSON.stringify(result));
} finally {
  if (!exited) {
    browser.kill('SIGTERM');
    // Wait for it to go before its TMPDIR is removed (at most 5 s).
    await new Promise((resolve) => { browser.once('exit', resolve); setTimeout(resolve, 5000); });
  }
}
