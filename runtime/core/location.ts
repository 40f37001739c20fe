// Runtime error locations (language.md §7.8): every generated module registers, at load time, a
// table mapping its JS lines to `.mpl` lines. When a panic reaches the top of the main process,
// the scheduler asks `formatPanicLocation(error)` for the `  at <file>.mpl:<line> in <function>`
// lines, computed from the error's JS stack. Nothing is done on the hot path.

interface Source {
  readonly file: string; // "ingestion/pipeline.mpl"
  readonly points: readonly number[]; // flattened [jsLine, mplLine, ...] change points, ascending
}

const sources = new Map<string, Source>();

/** Called by generated code: `$registerSource(import.meta.url, "main.mpl", "1:0,5:3,...")`. */
export function registerSource(url: string, file: string, table: string): void {
  const points: number[] = [];
  if (table.length > 0) {
    for (const p of table.split(",")) {
      const [a, b] = p.split(":");
      points.push(Number(a), Number(b));
    }
  }
  sources.set(url, { file, points });
}

function mplLine(src: Source, jsLine: number): number {
  const pts = src.points;
  let line = 0;
  for (let i = 0; i < pts.length; i += 2) {
    if (pts[i]! > jsLine) break;
    line = pts[i + 1]!;
  }
  return line;
}

// JS function names are the Mesh names; `$` separates generated parts
// (`x$1` shadowed copy, `Point$Display$to_string` impl method, `tally$terminate`).
function meshName(js: string): string {
  // V8 prefixes the receiver's type (`Module.risky`, `Generator.next`) and may add ` [as x]`
  const name = js.replace(/ \[as .*\]$/, "").replace(/^async /, "").split(".").pop()!;
  if (name === "" || name === "<anonymous>") return "<closure>";
  const parts = name.split("$").filter((p) => p.length > 0 && !/^\d+$/.test(p));
  if (parts.length >= 3) return `${parts[0]}.${parts[parts.length - 1]}`;
  if (parts.length === 2 && parts[1] === "terminate") return parts[0]!;
  if (parts.length === 2 && /^\p{Lu}/u.test(parts[1]!)) return `${parts[0]}.${parts[1]}`;
  return parts[0] ?? name;
}

export interface MeshFrame {
  readonly file: string;
  readonly line: number;
  readonly fn: string;
}

const FRAME_RE = /^\s*at (?:(.+?) \()?(\S+?):(\d+):\d+\)?$/;

/** The Mesh frames of a caught error, innermost first. */
export function meshFrames(err: unknown): MeshFrame[] {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return [];
  const out: MeshFrame[] = [];
  for (const l of stack.split("\n")) {
    const m = FRAME_RE.exec(l);
    if (!m) continue;
    const src = sources.get(m[2]!);
    if (!src) continue;
    const line = mplLine(src, Number(m[3]));
    if (line <= 0) continue;
    out.push({ file: src.file, line, fn: meshName(m[1] ?? "") });
  }
  return out;
}

/**
 * The location lines printed after `panic: <message>` (each `  at <file>:<line> in <fn>\n`),
 * or "" when the error carries no Mesh frame. At most `max` frames.
 */
export function formatPanicLocation(err: unknown, max = 1): string {
  return meshFrames(err)
    .slice(0, max)
    .map((f) => `  at ${f.file}:${f.line} in ${f.fn}\n`)
    .join("");
}
