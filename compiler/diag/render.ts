// Renders diagnostics as text (`error[E0001]: ...`, `--> file:line:col`, source excerpt, carets)
// or as JSON lines for tools. Line/column are computed here only.
import type { Diagnostic } from "./diagnostic.js";

export interface SourceLookup {
  (file: string): string | undefined;
}

export interface LineCol {
  line: number; // 1-based
  col: number; // 1-based, in code points
}

export function lineColOf(text: string, offset: number): LineCol {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = [...text.slice(lineStart, end)].length + 1;
  return { line, col };
}

function lineText(text: string, line: number): string {
  return text.split(/\r\n|\r|\n/)[line - 1] ?? "";
}

const RED = "\x1b[31;1m", YELLOW = "\x1b[33;1m", BLUE = "\x1b[34;1m", BOLD = "\x1b[1m", RESET = "\x1b[0m";

export function renderDiagnostic(d: Diagnostic, sources: SourceLookup, color = false): string {
  const c = (code: string, s: string) => (color ? code + s + RESET : s);
  const head = c(d.severity === "error" ? RED : YELLOW, `${d.severity}[${d.code}]`) + c(BOLD, `: ${d.message}`);
  const text = sources(d.span.file);
  const out = [head];
  if (text === undefined) {
    out.push(`  --> ${d.span.file}`);
  } else {
    const { line, col } = lineColOf(text, d.span.start);
    const endLc = lineColOf(text, Math.max(d.span.start, d.span.end));
    const src = lineText(text, line);
    const gutter = String(line).length;
    const pad = " ".repeat(gutter);
    const width = endLc.line === line ? Math.max(1, endLc.col - col) : Math.max(1, [...src].length - col + 1);
    out.push(`${pad}${c(BLUE, "-->")} ${d.span.file}:${line}:${col}`);
    out.push(`${pad} ${c(BLUE, "|")}`);
    out.push(`${c(BLUE, String(line))} ${c(BLUE, "|")} ${src}`);
    const lead = [...src].slice(0, col - 1).map((ch) => (ch === "\t" ? "\t" : " ")).join("");
    out.push(`${pad} ${c(BLUE, "|")} ${lead}${c(d.severity === "error" ? RED : YELLOW, "^".repeat(width))}${d.label ? " " + d.label : ""}`);
    for (const l of d.secondary ?? []) {
      const t = sources(l.span.file);
      if (t === undefined) continue;
      const lc = lineColOf(t, l.span.start);
      out.push(`${pad} ${c(BLUE, "=")} note: ${l.message} (${l.span.file}:${lc.line}:${lc.col})`);
    }
  }
  if (d.hint) out.push(`${" ".repeat(2)}${c(BLUE, "=")} hint: ${d.hint}`);
  return out.join("\n");
}

export function renderDiagnostics(diags: readonly Diagnostic[], sources: SourceLookup, color = false): string {
  return diags.map((d) => renderDiagnostic(d, sources, color)).join("\n\n") + (diags.length ? "\n" : "");
}

export function diagnosticToJson(d: Diagnostic, sources: SourceLookup): string {
  const text = sources(d.span.file) ?? "";
  const s = lineColOf(text, d.span.start);
  const e = lineColOf(text, d.span.end);
  return JSON.stringify({
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.span.file,
    line: s.line,
    column: s.col,
    endLine: e.line,
    endColumn: e.col,
    label: d.label ?? null,
    hint: d.hint ?? null,
  });
}
