// Build step after `tsc` (npm run build / prepare / test): bundles the CLI and the compiler (not the
// runtime, which compiled programs import from dist/runtime/ themselves) into one script,
// dist/cli/meshc.cjs, that bin/meshc.js loads. Loading ~150 small ES modules (Chevrotain alone
// pulls in hundreds of lodash-es files) was a large part of every `meshc` start-up.
//
// The bundle is CommonJS-shaped so that bin/meshc.js can compile it with node:vm and a V8 code
// cache (dist/cli/meshc.cjs.cache): Node 20 has no code cache for ES modules. Its first line names
// a hash of its content, which the cache file repeats, so a cache never outlives its bundle.
// The cache is made here by one training run (a build of a generated project), so that the
// functions a compilation uses are already compiled to bytecode in it.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = path.join(ROOT, "dist/cli/meshc.js");
const OUT = path.join(ROOT, "dist/cli/meshc.cjs");
const CACHE = `${OUT}.cache`;

if (!fs.existsSync(ENTRY)) {
  console.error(`bundle: ${path.relative(ROOT, ENTRY)} is missing: run tsc -p tsconfig.json first`);
  process.exit(1);
}

const result = await build({
  entryPoints: [ENTRY],
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
});
const body = result.outputFiles[0].text;
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

function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
