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
// check compares little more than the source length).
function runBundle() {
  // latin1, not utf8: the bundle is pure ASCII (scripts/bundle.mjs escapes the rest), for which
  // both read the same text, and Node's UTF-8 decoding of 1.8 MB costs ~30 ms of every start-up.
  const src = fs.readFileSync(BUNDLE, "latin1");
  const tag = /^\/\/ meshc-bundle ([0-9a-f]{64})\n/.exec(src.slice(0, 96))?.[1] ?? null;
  let cachedData;
  if (tag !== null) {
    try {
      const buf = fs.readFileSync(CACHE);
      if (buf.length > 64 && buf.toString("latin1", 0, 64) === tag) cachedData = buf.subarray(64);
    } catch {
      // no cache yet
    }
  }
  // The wrapper shares the bundle's first line (a comment), so stack-trace line numbers match the file.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __meshc_url) {${src}\n})`, {
    filename: BUNDLE,
    cachedData,
  });
  // Made at exit, so that it holds the functions a compilation uses, not only the top level (a
  // `--version` would leave a cache without the compiler in it).
  const compiles = ["build", "check", "run"].includes(process.argv[2] ?? "");
  if (tag !== null && compiles && (cachedData === undefined || script.cachedDataRejected)) {
    process.once("exit", () => {
      try {
        const tmp = `${CACHE}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(tag, "latin1"), script.createCachedData()]));
        fs.renameSync(tmp, CACHE);
      } catch {
        // a read-only installation runs without a cache
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE), pathToFileURL(BUNDLE).href);
}

const bundled = mtime(BUNDLE);
if (bundled >= 0 && bundled >= mtime(UNBUNDLED)) runBundle();
else await import("../dist/cli/meshc.js");
