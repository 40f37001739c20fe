// `meshc run` reuses its previous compilation of the same target when nothing that decides the
// output has changed (like `go run`'s build cache): the key is a hash of the compiler's own file
// (path, size, mtime: a rebuilt meshc never reuses an old output), the runtime URL the output
// imports, and every source (file, module name, text; path dependencies included). A reused run
// prints the same warnings the compilation printed and skips loading the compiler's front end,
// which is most of the cost of running a small program. The stamp lives in the output directory
// (a temporary directory of `meshc run`'s own) and is written last.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SourceFile } from "../compiler/analyse/project.js";

const STAMP = "meshc-run.json";
const FORMAT = 1;

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

export function runKey(compilerFile: string, runtimeUrl: string, files: readonly SourceFile[]): string {
  const st = fs.statSync(compilerFile, { throwIfNoEntry: false });
  const h = createHash("sha256").update(JSON.stringify([FORMAT, compilerFile, st?.size ?? -1, st?.mtimeMs ?? -1, runtimeUrl, files.length]));
  for (const f of files) h.update(JSON.stringify([f.file, f.name, f.text]));
  return h.digest("hex");
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
