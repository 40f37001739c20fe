// Diagnostics are data: every pass returns them; only diag/render.ts turns them into text.
import type { Span } from "../ast/syntax.js";

export type Severity = "error" | "warning";

export interface Label {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: string; // P0001, E0001 ... E0105, W0001 ...
  readonly severity: Severity;
  readonly message: string; // one line, names exactly what is wrong
  readonly span: Span; // primary location
  readonly label?: string; // text under the primary carets
  readonly secondary?: readonly Label[];
  readonly hint?: string;
}

export function error(code: string, message: string, span: Span, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: "error", message, span, ...extra };
}

export function warning(code: string, message: string, span: Span, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: "warning", message, span, ...extra };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

// Sort by file, then position, then code: output order is stable and independent of pass order.
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
