// Lays out a formatter document (doc.ts) for a line width (tooling.md §1.3): outer groups decide
// first; a group is flat when it holds no forced break and its flat width plus what follows it up
// to the next possible break fits in the rest of the line. Widths are counted in code points; a
// text holding line breaks counts as its first line and leaves the column at its last line's width.
import type { Doc, Group } from "./doc.js";

const FLAT = 0, BREAK = 1;
type Mode = typeof FLAT | typeof BREAK;
type Cmd = [number, Mode, Doc]; // indentation level, mode, document

export interface PrintOptions {
  readonly lineWidth: number;
  readonly indentSize: number;
}

export function width(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

// Marks every plain group holding a hard line or a breakParent as broken (conditional groups are
// left to choose among their states). Recursion follows nesting only, never list length.
export function propagateBreaks(d: Doc): boolean {
  if (typeof d === "string") return false;
  if (Array.isArray(d)) {
    let any = false;
    for (const x of d as readonly Doc[]) if (propagateBreaks(x)) any = true;
    return any;
  }
  const o = d as Exclude<Doc, string | readonly Doc[]>;
  switch (o.t) {
    case "line":
      return o.mode === "hard";
    case "breakParent":
      return true;
    case "lineSuffix":
      return false;
    case "indent":
      return propagateBreaks(o.c);
    case "ifBreak":
      propagateBreaks(o.broken);
      return propagateBreaks(o.flat);
    case "group": {
      let inner = false;
      if (o.states) {
        for (const s of o.states) if (propagateBreaks(s)) inner = true;
        return inner;
      }
      inner = propagateBreaks(o.c);
      if (inner) o.brk = true;
      return inner || o.brk;
    }
  }
}

// Arrays are walked with an index (never copied): the rest of the document may be the whole
// remaining file, of which only the part up to the next line break matters.
function fits(next: Cmd, rest: Cmd[], room: number, mustBeFlat: boolean): boolean {
  let remaining = room;
  const modes: Mode[] = [next[1]];
  const docs: Doc[] = [next[2]];
  const idx: number[] = [-1];
  let restIdx = rest.length;
  while (remaining >= 0) {
    if (docs.length === 0) {
      if (restIdx === 0) return true;
      const r = rest[--restIdx]!;
      modes.push(r[1]);
      docs.push(r[2]);
      idx.push(-1);
      continue;
    }
    const top = docs.length - 1;
    const mode = modes[top]!;
    let d = docs[top]!;
    if (Array.isArray(d)) {
      const a = d as readonly Doc[];
      const i = idx[top]! + 1;
      if (i >= a.length) {
        docs.pop();
        modes.pop();
        idx.pop();
        continue;
      }
      idx[top] = i;
      d = a[i]!;
    } else {
      docs.pop();
      modes.pop();
      idx.pop();
    }
    if (typeof d === "string") {
      const nl = d.indexOf("\n");
      if (nl >= 0) return remaining - width(d.slice(0, nl)) >= 0;
      remaining -= width(d);
      continue;
    }
    if (Array.isArray(d)) {
      modes.push(mode);
      docs.push(d);
      idx.push(-1);
      continue;
    }
    const o = d as Exclude<Doc, string | readonly Doc[]>;
    let push: Doc | null = null;
    let pm: Mode = mode;
    switch (o.t) {
      case "indent":
        push = o.c;
        break;
      case "group": {
        if (mustBeFlat && o.brk) return false;
        pm = o.brk ? BREAK : mode;
        push = o.states && pm === BREAK ? o.states[o.states.length - 1]! : o.c;
        break;
      }
      case "ifBreak":
        push = mode === BREAK ? o.broken : o.flat;
        break;
      case "line":
        if (mode === BREAK || o.mode === "hard") return !(mustBeFlat && o.mode === "hard");
        if (o.mode === "line") remaining -= 1;
        break;
      case "breakParent":
        if (mustBeFlat) return false;
        break;
      case "lineSuffix":
        break;
    }
    if (push !== null) {
      modes.push(pm);
      docs.push(push);
      idx.push(-1);
    }
  }
  return false;
}

export function printDoc(doc: Doc, opts: PrintOptions): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let pos = 0;
  let suffixes: string[] = [];
  const cmds: Cmd[] = [[0, BREAK, doc]];
  const trimEnd = () => {
    while (out.length > 0) {
      const last = out[out.length - 1]!;
      const t = last.replace(/[ \t]+$/, "");
      if (t.length > 0 || last.length === 0) {
        out[out.length - 1] = t;
        if (t.length > 0) return;
      }
      if (t.length === 0) out.pop();
    }
  };
  const newline = (ind: number) => {
    if (suffixes.length > 0) {
      for (const s of suffixes) out.push(s);
      suffixes = [];
    }
    trimEnd();
    const pad = " ".repeat(ind * opts.indentSize);
    out.push("\n" + pad);
    pos = pad.length;
  };
  while (cmds.length > 0) {
    const [ind, mode, d] = cmds.pop()!;
    if (typeof d === "string") {
      if (d.length === 0) continue;
      out.push(d);
      const nl = d.lastIndexOf("\n");
      pos = nl >= 0 ? width(d.slice(nl + 1)) : pos + width(d);
      continue;
    }
    if (Array.isArray(d)) {
      const a = d as readonly Doc[];
      for (let i = a.length - 1; i >= 0; i--) cmds.push([ind, mode, a[i]!]);
      continue;
    }
    const o = d as Exclude<Doc, string | readonly Doc[]>;
    switch (o.t) {
      case "indent":
        cmds.push([ind + 1, mode, o.c]);
        break;
      case "group":
        printGroup(o, ind, mode);
        break;
      case "ifBreak":
        cmds.push([ind, mode, mode === BREAK ? o.broken : o.flat]);
        break;
      case "line":
        if (mode === FLAT && o.mode !== "hard") {
          if (o.mode === "line") {
            out.push(" ");
            pos++;
          }
        } else newline(ind);
        break;
      case "lineSuffix":
        suffixes.push(o.c);
        break;
      case "breakParent":
        break;
    }
  }
  for (const s of suffixes) out.push(s);
  trimEnd();
  return out.join("");

  function printGroup(g: Group, ind: number, mode: Mode): void {
    if (mode === FLAT && !g.brk) {
      cmds.push([ind, FLAT, g.c]);
      return;
    }
    const room = opts.lineWidth - pos;
    if (g.states) {
      // F13: flat only when it holds no forced break and fits whole; then the first state whose
      // first line fits; else the last.
      const flat: Cmd = [ind, FLAT, g.states[0]!];
      if (!g.brk && fits(flat, cmds, room, true)) {
        cmds.push(flat);
        return;
      }
      for (let i = 1; i < g.states.length - 1; i++) {
        const c: Cmd = [ind, FLAT, g.states[i]!];
        if (fits(c, cmds, room, false)) {
          cmds.push(c);
          return;
        }
      }
      cmds.push([ind, BREAK, g.states[g.states.length - 1]!]);
      return;
    }
    const flat: Cmd = [ind, FLAT, g.c];
    if (!g.brk && fits(flat, cmds, room, false)) cmds.push(flat);
    else cmds.push([ind, BREAK, g.c]);
  }
}
