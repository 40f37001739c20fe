// Document IR of the formatter (tooling.md §1.3): a Wadler-style algebra that format-*.ts build
// from the concrete syntax tree and printer.ts lays out for a target width.
export type Doc = string | readonly Doc[] | Line | Indent | Group | IfBreak | LineSuffix | BreakParent;

export interface Line {
  readonly t: "line";
  readonly mode: "line" | "soft" | "hard";
}
export interface Indent {
  readonly t: "indent";
  readonly c: Doc;
}
// `states` (a conditional group): alternative layouts tried in order when the group does not fit
// flat; the first whose first line fits wins, else the last one (F13 flat / hugged / broken).
export interface Group {
  readonly t: "group";
  readonly c: Doc;
  brk: boolean;
  readonly states?: readonly Doc[];
}
export interface IfBreak {
  readonly t: "ifBreak";
  readonly broken: Doc;
  readonly flat: Doc;
}
// Text printed just before the next line break (trailing comments).
export interface LineSuffix {
  readonly t: "lineSuffix";
  readonly c: string;
}
export interface BreakParent {
  readonly t: "breakParent";
}

export const line: Line = { t: "line", mode: "line" };
export const softline: Line = { t: "line", mode: "soft" };
export const hardline: Line = { t: "line", mode: "hard" };
export const breakParent: BreakParent = { t: "breakParent" };

export function text(s: string): Doc {
  return s;
}
export function indent(c: Doc): Doc {
  return { t: "indent", c };
}
export function group(c: Doc, brk = false): Group {
  return { t: "group", c, brk };
}
export function conditionalGroup(states: readonly Doc[]): Group {
  return { t: "group", c: states[0]!, brk: false, states };
}
export function ifBreak(broken: Doc, flat: Doc): Doc {
  return { t: "ifBreak", broken, flat };
}
export function lineSuffix(c: string): Doc {
  return { t: "lineSuffix", c };
}
export function join(sep: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(sep);
    out.push(d);
  });
  return out;
}

// True when the document holds a hard line break or a forced break (outside ifBreak flat parts).
export function hasHardBreak(d: Doc): boolean {
  const stack: Doc[] = [d];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (typeof x === "string") continue;
    if (Array.isArray(x)) {
      for (const y of x as readonly Doc[]) stack.push(y);
      continue;
    }
    const o = x as Exclude<Doc, string | readonly Doc[]>;
    switch (o.t) {
      case "line":
        if (o.mode === "hard") return true;
        break;
      case "breakParent":
        return true;
      case "indent":
        stack.push(o.c);
        break;
      case "group":
        if (o.brk) return true;
        stack.push(o.c);
        break;
      case "ifBreak":
        stack.push(o.flat);
        break;
      case "lineSuffix":
        break;
    }
  }
  return false;
}
