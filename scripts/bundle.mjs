// Build step after `tsc` (npm run build / prepare / test): bundles the runtime that compiled programs
// import into dist/runtime-bundle/ (bundleRuntime below), then the CLI and the compiler into one
// file, dist/cli/meshc.cjs, that bin/meshc.js loads. Loading ~150 small ES modules (Chevrotain alone
// pulls in hundreds of lodash-es files) was a large part of every `meshc` start-up.
//
// The bundle holds CommonJS-shaped segments so that bin/meshc.js can compile them with node:vm and
// V8 code caches (dist/cli/meshc.cjs.cache): Node 20 has no code cache for ES modules. Its first
// line names a hash of its content, which the cache file repeats, so a cache never outlives its bundle.
// The cache is made here by one training run (a build of a generated project), so that the
// functions a compilation uses are already compiled to bytecode in it.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = path.join(ROOT, "dist/cli/meshc.js");
const OUT = path.join(ROOT, "dist/cli/meshc.cjs");
const CACHE = `${OUT}.cache`;

if (!fs.existsSync(ENTRY)) {
  console.error(`bundle: ${path.relative(ROOT, ENTRY)} is missing: run tsc -p tsconfig.json first`);
  process.exit(1);
}

await bundleRuntime();

// Two segments, each compiled with its own code cache (bin/meshc.js), so that a command that never
// compiles (`--version`, `meshc run` reusing its last compilation, `deps`, `init`) does not read and
// deserialise the compiler (~90% of the code). "shell": cli/meshc.ts and what it imports statically
// (commander, the manifest and diagnostic helpers); its dynamic imports become `require("meshc-lazy:
// <path>")`. "lazy": everything those dynamic imports reach, one lazily initialised module each (so
// `run` never initialises the language server or the formatter). The few small modules both import
// statically (the manifest/deps readers, diagnostic rendering) exist once in each segment: they keep
// no state, and errors they throw are caught by their own segment.
const SHARED = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  write: false,
  logLevel: "warning",
  // bin/meshc.js passes the bundle's own file URL as `__meshc_url`, so `new URL("../runtime/
  // index.js", import.meta.url)` in cli/meshc.ts still names dist/runtime/index.js.
  // MESHC_BUNDLE: see compiler/syntax/parser-base.ts (grammar validations).
  define: { "import.meta.url": "__meshc_url", MESHC_BUNDLE: "true" },
};
const lazyModules = new Set();
const shell = await build({
  ...SHARED,
  entryPoints: [ENTRY],
  // a dynamic import becomes Promise.resolve().then(() => require(...)), which bin/meshc.js serves
  supported: { "dynamic-import": false },
  plugins: [
    {
      name: "meshc-lazy",
      setup(b) {
        b.onResolve({ filter: /.*/ }, (a) => {
          if (a.kind !== "dynamic-import") return undefined;
          if (!a.path.startsWith(".")) throw new Error(`bundle: dynamic import of a package in the CLI shell: ${a.path}`);
          const rel = path.relative(path.join(ROOT, "dist"), path.resolve(a.resolveDir, a.path)).split(path.sep).join("/");
          lazyModules.add(rel);
          return { path: `meshc-lazy:${rel}`, external: true };
        });
      },
    },
  ],
});
const lazy = await build({
  ...SHARED,
  stdin: {
    contents: `module.exports = {\n${[...lazyModules].map((m) => `  ${JSON.stringify(m)}: () => require(${JSON.stringify(`./${m}`)}),`).join("\n")}\n};\n`,
    resolveDir: path.join(ROOT, "dist"),
    sourcefile: "meshc-lazy-entry.js",
    loader: "js",
  },
});
// esbuild escapes non-ASCII text in strings but keeps some comments verbatim (`§` in the parser's);
// one such character makes the whole 1.8 MB file a two-byte string that Node decodes on its slow
// path (~40 ms of every start-up, measured). Only comments hold any, so escaping them is harmless.
const ascii = (t) => t.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
// Layout: line 1 `// meshc-bundle <sha256 of the rest>`, line 2 `// meshc-segments <JSON>` giving
// each segment's [start, end, first line] counted from the start of line 3, then the segments.
const segments = [
  ["shell", ascii(shell.outputFiles[0].text)],
  ["lazy", ascii(lazy.outputFiles[0].text)],
];
const index = {};
let text = "";
let line = 2;
for (const [name, code] of segments) {
  const banner = `// ---- segment ${name}\n`;
  text += banner;
  line += 1;
  index[name] = [text.length, text.length + code.length, line];
  text += code.endsWith("\n") ? code : `${code}\n`;
  line += (code.endsWith("\n") ? code : `${code}\n`).split("\n").length - 1;
}
const body = `// meshc-segments ${JSON.stringify(index)}\n${text}`;
const hash = createHash("sha256").update(body).digest("hex");
writeAtomic(OUT, `// meshc-bundle ${hash}\n${body}`);
fs.rmSync(CACHE, { force: true });

// Training run: bin/meshc.js writes the code cache when the process exits. A failure here is a
// compiler bug for the tests to report, not a build failure (the cache is then only partial).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-bundle-"));
try {
  const { generateProject } = await import(path.join(ROOT, "dist/bench/gen-project.js"));
  generateProject(dir, 2000);
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin/meshc.js"), "build", dir], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(`bundle: warning: the training build failed (status ${r.status}):\n${r.stdout}${r.stderr}`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
const kb = (f) => (fs.existsSync(f) ? `${Math.round(fs.statSync(f).size / 1024)} KB` : "missing");
console.log(`bundle: ${path.relative(ROOT, OUT)} (${kb(OUT)}), code cache ${kb(CACHE)}`);

// The runtime that compiled programs import, as dist/runtime-bundle/index.js plus one file per lazily
// imported layer (lib/web.js, lib/db.js, …) and the chunks they share: a program then loads two or
// three files instead of ~60 modules (per-module resolution, file reads and compilation were about
// half of a hello world's start-up). Code splitting keeps one instance of the scheduler and `lib`
// for the entry and the layers. The CLI makes programs import it only when it is at least as new as
// dist/runtime/index.js (cli/meshc.ts), so a bare `tsc` never leaves programs on a stale runtime.
// Files are replaced one by one with renames (programs may be starting meanwhile, e.g. tests of a
// shared tree); chunks no longer referenced are removed once they are a minute old.
async function bundleRuntime() {
  const src = path.join(ROOT, "dist/runtime");
  const out = path.join(ROOT, "dist/runtime-bundle");
  const layers = fs.readdirSync(path.join(src, "lib")).filter((f) => f.endsWith(".js"));
  const r = await build({
    entryPoints: [path.join(src, "index.js"), ...layers.map((f) => path.join(src, "lib", f))],
    outbase: src,
    outdir: out,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  const core = await cachedCore(r, out);
  const written = new Set();
  // chunks first, then the entries that import them
  const files = [...r.outputFiles.filter((f) => f.path !== core?.chunk), ...(core?.files ?? [])]
    .map((f) => ({ path: f.path, text: f.text }))
    .sort((a, b) => Number(!/^(chunk|core)-/.test(path.basename(a.path))) - Number(!/^(chunk|core)-/.test(path.basename(b.path))));
  for (const f of files) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    const same = fs.existsSync(f.path) && fs.readFileSync(f.path, "utf8") === f.text;
    // an unchanged file is still touched: its mtime says the bundle is as new as dist/runtime
    if (same) fs.utimesSync(f.path, new Date(), new Date());
    else writeAtomic(f.path, f.text);
    written.add(path.resolve(f.path));
  }
  if (core) trainCore(core, out);
  for (const f of fs.readdirSync(out)) {
    const p = path.join(out, f);
    const stale = !written.has(p) && !(core && p === `${core.script}.cache`);
    if (/^(chunk|core)-/.test(f) && stale && Date.now() - fs.statSync(p).mtimeMs > 60_000) fs.rmSync(p, { force: true });
  }
}

// The runtime core (the chunk that index.js and every layer import) is most of a small program's
// load time, and its compilation is a good part of that: Node 20 has no code cache for ES modules.
// So its code goes to core-<hash>.cjs, compiled by a small ES module left in the chunk's place
// through node:vm with a V8 code cache (core-<hash>.cjs.cache, made by trainCore), and the chunk
// re-exports what that script exports. Exports are then copied once, after the core has run: sound
// because no runtime module exports a `let`/`var` (checked below; an export that is assigned again
// keeps the plain chunk). A chunk that imports another chunk, or uses import() or top-level await,
// keeps the plain chunk too.
async function cachedCore(r, out) {
  const index = Object.entries(r.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith("runtime/index.js"));
  const local = (index?.[1].imports ?? []).filter((i) => !i.external);
  if (local.length !== 1) return null;
  const chunkPath = path.resolve(ROOT, local[0].path);
  const meta = r.metafile.outputs[local[0].path];
  const chunk = r.outputFiles.find((f) => path.resolve(f.path) === chunkPath);
  if (!meta || !chunk || meta.imports.some((i) => !i.external)) return null;
  const names = meta.exports;
  const mutable = mutableExports(path.join(ROOT, "dist/runtime"));
  if (chunk.text.includes("import(") || mutable.length > 0) {
    console.error(`bundle: the runtime core stays a plain ES module (${mutable.length > 0 ? `mutable exports: ${mutable.join(", ")}` : "it uses import()"})`);
    return null;
  }
  // The chunk's own imports become require()s and its closing `export { … }` a `return { … }`: a
  // plain object, cheaper to make than the getters of a general ES-to-CommonJS conversion.
  const importRe = /^import (?:\{[^}]*\}|\* as [\w$]+|[\w$]+) from "node:[\w/]+";$/gm;
  const imports = chunk.text.match(importRe) ?? [];
  const rest = chunk.text.replace(importRe, "");
  const tail = /\nexport \{([^}]*)\};\n*$/.exec(rest);
  if (tail === null || /^\s*(import|export)\b/m.test(rest.slice(0, tail.index)) || /\bimport\.meta\b(?!\.url)/.test(rest)) {
    console.error("bundle: the runtime core stays a plain ES module (its imports or exports are not in the expected form)");
    return null;
  }
  const required = imports
    .map((l) => {
      const [, what, from] = /^import (.*) from ("node:[\w/]+");$/.exec(l);
      if (what.startsWith("* as ")) return `const ${what.slice(5)} = require(${from});`;
      if (what.startsWith("{")) return `const ${what.replace(/\s+as\s+/g, ": ")} = require(${from});`;
      return `const ${what} = require(${from}).default ?? require(${from});`;
    })
    .join(" ");
  const pairs = tail[1].split(",").map((p) => p.trim()).filter(Boolean).map((p) => {
    const [local, exported = local] = p.split(/\s+as\s+/);
    return exported === local ? local : `${exported}: ${local}`;
  });
  const body = `${required}${rest.slice(0, tail.index).replace(/\bimport\.meta\.url\b/g, "__meshc_url")}\nreturn { ${pairs.join(", ")} };\n`;
  const code = body.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const script = path.join(out, `core-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.cjs`);
  const shim = `// Generated by scripts/bundle.mjs: the runtime core, run from ${path.basename(script)} through node:vm
// with a V8 code cache (Node 20 has no code cache for ES modules). Exports are copied once it has run.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { readFileSync } = require("node:fs");
const { Script } = require("node:vm");
const url = new URL(${JSON.stringify(`./${path.basename(script)}`)}, import.meta.url);
const filename = require("node:url").fileURLToPath(url);
let cachedData;
try {
  cachedData = readFileSync(\`\${filename}.cache\`);
} catch {
  // no cache: compiled as usual
}
// The wrapper shares the script's first line, so stack-trace line numbers match the file.
export const __meshcCoreScript = new Script(\`(function (require, __meshc_url) {"use strict";\${readFileSync(filename, "latin1")}\\n})\`, { filename, cachedData });
export const { ${names.join(", ")} } = __meshcCoreScript.runInThisContext()(require, url.href);
`;
  return { chunk: chunk.path, script, files: [{ path: chunk.path, text: shim }, { path: script, text: code }] };
}

// `export let`/`export var`, or `export { x }` of a top-level let/var, in tsc's output (where, unlike
// in the bundle, declarations keep their kind).
function mutableExports(dir) {
  const found = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith(".js")) continue;
    const file = path.join(e.parentPath ?? e.path, e.name);
    const src = fs.readFileSync(file, "utf8");
    if (/^export (let|var)\b/m.test(src)) found.push(path.relative(dir, file));
    for (const m of src.matchAll(/^export \{([^}]*)\};/gm)) {
      for (const part of m[1].split(",")) {
        const local = part.trim().split(/\s+as\s+/)[0];
        if (local && new RegExp(`^(let|var) ${local.replace(/\$/g, "\\$")}\\b`, "m").test(src)) found.push(`${path.relative(dir, file)}: ${local}`);
      }
    }
  }
  return found;
}

// Makes core-<hash>.cjs.cache: runs a hello world on the bundled runtime and saves the code cache
// with the functions that used. Programs run under `node --stack-size=4000` (cli/meshc.ts STACK_KB,
// the launcher, the REPL host); V8 accepts a cache only under the flags it was made with, so the
// training run uses the same. Without a cache (a failed training, other flags) the core is simply
// compiled, as any module is.
function trainCore(core, out) {
  const cache = `${core.script}.cache`;
  if (fs.existsSync(cache)) return;
  const chunkUrl = pathToFileURL(core.chunk).href;
  const indexUrl = pathToFileURL(path.join(out, "index.js")).href;
  const code = `
const rt = await import(${JSON.stringify(indexUrl)});
const core = await import(${JSON.stringify(chunkUrl)});
const { writeFileSync, renameSync } = await import("node:fs");
process.on("exit", () => {
  const tmp = ${JSON.stringify(cache)} + "." + process.pid + ".tmp";
  writeFileSync(tmp, core.__meshcCoreScript.createCachedData());
  renameSync(tmp, ${JSON.stringify(cache)});
});
rt.runMain(function main() {
  return rt.lib.prelude.println("training " + rt.lib.String.length("runtime"));
});
`;
  const r = spawnSync(process.execPath, ["--stack-size=4000", "--input-type=module", "-e", code], { encoding: "utf8" });
  if (r.status !== 0 || !fs.existsSync(cache)) console.error(`bundle: warning: no code cache for the runtime core (status ${r.status}):\n${r.stdout}${r.stderr}`);
}

function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
