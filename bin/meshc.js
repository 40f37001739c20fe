#!/usr/bin/env node
// Entry of the `meshc` command. `npm ci` (prepare), `npm run build` and `npm test` compile the
// sources into dist/ with tsc, then scripts/bundle.mjs bundles the CLI and the compiler into one
// script, dist/cli/meshc.cjs, with a V8 code cache beside it. This file runs that bundle; when
// there is none, or it is older than dist/cli/meshc.js (tsc ran again without the bundling
// step), it runs the unbundled dist/cli/meshc.js instead, which behaves the same, only slower.
import * as fs from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

// A compilation is short and runs mostly cold code: with V8's default interrupt budget, TurboFan
// optimises many functions that have nearly finished their work by the time the optimised code
// is ready (measured on 10,000 lines: a third of the CPU time of `meshc check`, and more wall time
// on a busy machine). An 8x budget leaves TurboFan only what stays hot; it was measured better on
// 2,000- to 50,000-line projects. This is the compiler process only: programs started by
// `meshc run` or by a launcher get Node's defaults. (The flags are part of V8's code-cache check,
// so the cache below is made and used under the same ones.)
try {
  v8.setFlagsFromString("--interrupt-budget=540000");
} catch {
  // an engine without the flag runs with its defaults
}

const BUNDLE = fileURLToPath(new URL("../dist/cli/meshc.cjs", import.meta.url));
const UNBUNDLED = fileURLToPath(new URL("../dist/cli/meshc.js", import.meta.url));
const CACHE = `${BUNDLE}.cache`;

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

// The bundle's first line is `// meshc-bundle <sha256 of the rest>`; the cache file starts with
// the same 64 characters, so a cache made for another bundle is never handed to V8 (whose own
// check compares little more than the source length). Its second line indexes its segments
// (scripts/bundle.mjs): "shell" runs first; "lazy" (the compiler and the tooling) only when the
// shell requires a `meshc-lazy:<module>`. Each segment has its own code cache, stored together:
//   <tag><JSON {segment: [offset, length]}>\n<caches...>
function runBundle() {
  // Only the segments used are read. latin1, not utf8: the bundle is pure ASCII (scripts/bundle.mjs
  // escapes the rest), so byte offsets are character offsets and both decode the same text; Node's
  // UTF-8 decoding costs ~20 ms a megabyte.
  const fd = fs.openSync(BUNDLE, "r");
  const read = (start, end) => {
    const buf = Buffer.allocUnsafe(end - start);
    let n = 0;
    while (n < buf.length) {
      const got = fs.readSync(fd, buf, n, buf.length - n, start + n);
      if (got === 0) break;
      n += got;
    }
    return buf.toString("latin1", 0, n);
  };
  const head = read(0, 4096);
  const nl1 = head.indexOf("\n");
  const nl2 = head.indexOf("\n", nl1 + 1);
  const tag = /^\/\/ meshc-bundle ([0-9a-f]{64})$/.exec(head.slice(0, nl1))?.[1] ?? null;
  const index = JSON.parse(/^\/\/ meshc-segments (.*)$/.exec(head.slice(nl1 + 1, nl2 < 0 ? 0 : nl2))?.[1] ?? "null");
  if (tag === null || index === null) return false; // made by an older scripts/bundle.mjs
  const base = nl2 + 1;
  const caches = readCaches(tag);
  const url = pathToFileURL(BUNDLE).href;
  const nodeRequire = createRequire(BUNDLE);
  const loaded = new Map(); // segment -> { script, module, fresh }
  const load = (name) => {
    const seen = loaded.get(name);
    if (seen) return seen.module.exports;
    const [start, end, lineOffset] = index[name];
    const cachedData = caches.get(name);
    // The wrapper shares the segment's first line, so stack-trace line numbers match the file.
    const code = `(function (exports, require, module, __filename, __dirname, __meshc_url) {${read(base + start, base + end)}\n})`;
    const script = new vm.Script(code, { filename: BUNDLE, lineOffset, cachedData });
    const entry = { script, module: { exports: {} }, fresh: cachedData === undefined || script.cachedDataRejected };
    loaded.set(name, entry);
    script.runInThisContext()(entry.module.exports, segmentRequire, entry.module, BUNDLE, path.dirname(BUNDLE), url);
    return entry.module.exports;
  };
  const segmentRequire = (id) => (id.startsWith("meshc-lazy:") ? load("lazy")[id.slice(11)]() : nodeRequire(id));
  // Made at exit, so that it holds the functions a compilation uses, not only the top level (a
  // `--version` would leave a cache without the compiler in it).
  const compiles = ["build", "check", "run"].includes(process.argv[2] ?? "");
  if (compiles) {
    process.once("exit", () => {
      if (![...loaded.values()].some((e) => e.fresh)) return;
      const blobs = new Map(caches);
      for (const [name, e] of loaded) blobs.set(name, e.script.createCachedData());
      writeCaches(tag, blobs);
    });
  }
  load("shell");
  return true;
}

function readCaches(tag) {
  const caches = new Map();
  try {
    const buf = fs.readFileSync(CACHE);
    if (buf.toString("latin1", 0, 64) !== tag) return caches;
    const nl = buf.indexOf(10, 64);
    const at = nl + 1;
    for (const [name, [off, len]] of Object.entries(JSON.parse(buf.toString("latin1", 64, nl)))) {
      if (at + off + len <= buf.length) caches.set(name, buf.subarray(at + off, at + off + len));
    }
  } catch {
    // no cache yet, or a damaged one: compiled without (and replaced at exit)
  }
  return caches;
}

function writeCaches(tag, blobs) {
  const header = {};
  let off = 0;
  for (const [name, b] of blobs) {
    header[name] = [off, b.length];
    off += b.length;
  }
  try {
    const tmp = `${CACHE}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${tag}${JSON.stringify(header)}\n`, "latin1"), ...blobs.values()]));
    fs.renameSync(tmp, CACHE);
  } catch {
    // a read-only installation runs without a cache
  }
}

const bundled = mtime(BUNDLE);
if (!(bundled >= 0 && bundled >= mtime(UNBUNDLED) && runBundle())) await import("../dist/cli/meshc.js");
