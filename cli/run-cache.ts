// `meshc run` reuses its previous compilation of the same target when nothing that decides the
// output has changed (like `go run`'s build cache; docs/decisions.md 83): the stamp records the
// compiler's own file (path, size, mtime: a rebuilt meshc never reuses an old output), the runtime
// URL the output imports, the target and every source (file, module name, text; path dependencies
// included), and is compared exactly, so no hash is needed and node:crypto (~7% of Node's start-up)
// is never loaded on this path. A reused run prints the same warnings the compilation printed and
// skips loading the compiler's front end, which is most of the cost of running a small program.
// The stamp lives in the output directory (a temporary directory of `meshc run`'s own), written last.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { SourceFile } from "../compiler/analyse/project.js";

const STAMP = "meshc-run.json";
const FORMAT = 2;

export interface RunStamp {
  readonly key: string;
  /** the compiled entry module, absolute */
  readonly main: string;
  /** every output file, relative to the output directory */
  readonly outputs: readonly string[];
  /** what the compilation printed on stderr (its warnings), without and with colour */
  readonly plain: string;
  readonly color: string;
}

/** The output directory of `meshc run <target>`: one per target path, in the temporary directory. */
export function runDirFor(target: string): string {
  return path.join(os.tmpdir(), "meshc-run", fnv1a64(path.resolve(target)));
}

// FNV-1a, 64 bits, over UTF-16 code units: names a directory (a collision only makes two targets
// share one, and the stamp, which names the target, then never matches the other's).
function fnv1a64(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(s.charCodeAt(i))) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

/** Everything the compilation's output depends on, as one string compared exactly. */
export function runKey(compilerFile: string, runtimeUrl: string, target: string, files: readonly SourceFile[]): string {
  const st = fs.statSync(compilerFile, { throwIfNoEntry: false });
  return JSON.stringify([FORMAT, compilerFile, st?.size ?? -1, st?.mtimeMs ?? -1, runtimeUrl, path.resolve(target), files.map((f) => [f.file, f.name, f.text])]);
}

/** The stamp of a previous compilation with this key whose outputs are all still there, or null. */
export function reusableRun(outDir: string, key: string): RunStamp | null {
  let s: RunStamp;
  try {
    s = JSON.parse(fs.readFileSync(path.join(outDir, STAMP), "utf8")) as RunStamp;
  } catch {
    return null;
  }
  if (s.key !== key || !Array.isArray(s.outputs)) return null;
  for (const o of s.outputs) if (!fs.existsSync(path.join(outDir, o))) return null;
  return fs.existsSync(s.main) ? s : null;
}

export function saveRun(outDir: string, stamp: RunStamp): void {
  const tmp = path.join(outDir, `${STAMP}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, JSON.stringify(stamp));
    fs.renameSync(tmp, path.join(outDir, STAMP));
  } catch {
    // no stamp: the next run compiles again
  }
}
