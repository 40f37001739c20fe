// Shared state of one formatting run: the source, its comments (trivia from the lexer) consumed
// in source order as tokens are printed, and the two layout helpers every construct uses:
// statement sequences (F4, F5, F14, F15 blank lines and comment attachment) and bracketed lists
// (F13 flat / hugged / broken).
import type { IToken } from "chevrotain";
import { breakParent, conditionalGroup, group, hardline, hasHardBreak, indent, line, lineSuffix, softline, type Doc, type Group } from "./doc.js";
import * as T from "../syntax/tokens.js";

export interface SeqElem {
  readonly start: number;
  readonly end: number;
  readonly kind: string;
  readonly render: () => Doc;
}

export interface Unit {
  readonly kind: string;
  readonly multi: boolean;
  readonly comment: boolean;
  readonly moduleDoc: boolean;
}

// Blank lines (0 or 1) between two units, given the source's (0 or 1).
export type Policy = (prev: Unit, next: Unit, sourceBlank: number) => number;

export const bodyPolicy: Policy = (_p, _n, b) => b;
export const containerPolicy: Policy = (p, n, b) => (p.multi || n.multi ? 1 : b);

export interface ListElem {
  readonly start: number;
  readonly end: number;
  readonly render: () => Doc;
  readonly hug?: boolean; // a closure or literal that may be hugged as the last argument
}

export class FormatContext {
  private ci = 0;
  private readonly tokenStarts: Int32Array; // start offsets of the code tokens, ascending

  constructor(
    readonly src: string,
    readonly comments: readonly IToken[],
    codeTokens: readonly IToken[] = [],
  ) {
    this.tokenStarts = Int32Array.from(codeTokens.map((t) => t.startOffset).filter((n) => !Number.isNaN(n))).sort();
  }

  // True when a code token starts in [a, b).
  private tokenBetween(a: number, b: number): boolean {
    const ts = this.tokenStarts;
    let lo = 0, hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! < a) lo = mid + 1;
      else hi = mid;
    }
    return lo < ts.length && ts[lo]! < b;
  }

  // ---------------------------------------------------------------- comments

  ownLine(c: IToken): boolean {
    for (let i = c.startOffset - 1; i >= 0; i--) {
      const ch = this.src.charCodeAt(i);
      if (ch === 10 || ch === 13) return true;
      if (ch !== 32 && ch !== 9 && ch !== 0xfeff) return false;
    }
    return true;
  }

  private followedByNewline(c: IToken): boolean {
    for (let i = c.startOffset + c.image.length; i < this.src.length; i++) {
      const ch = this.src.charCodeAt(i);
      if (ch === 10 || ch === 13) return true;
      if (ch !== 32 && ch !== 9) return false;
    }
    return true;
  }

  // Comment text with trailing whitespace removed from each line and `\n` line ends (F1, F15).
  static commentText(c: IToken): string {
    return c.image
      .split(/\r\n?|\n/)
      .map((l) => l.replace(/[ \t]+$/, ""))
      .join("\n");
  }

  private newlineBetween(a: number, b: number): boolean {
    for (let i = a; i < b; i++) {
      const ch = this.src.charCodeAt(i);
      if (ch === 10 || ch === 13) return true;
    }
    return false;
  }

  // 1 when the source has a blank line between offsets a and b.
  blankBetween(a: number, b: number): number {
    let n = 0;
    for (let i = a; i < b; i++) {
      const ch = this.src.charCodeAt(i);
      if (ch === 10) n++;
      else if (ch === 13 && this.src.charCodeAt(i + 1) !== 10) n++;
      if (n >= 2) return 1;
    }
    return 0;
  }

  hasCommentIn(a: number, b: number): boolean {
    for (let i = this.ci; i < this.comments.length; i++) {
      const s = this.comments[i]!.startOffset;
      if (s >= b) return false;
      if (s >= a) return true;
    }
    return false;
  }

  get cursor(): number {
    return this.ci;
  }
  set cursor(v: number) {
    this.ci = v;
  }

  private suffix(c: IToken): Doc[] {
    return [lineSuffix(" " + FormatContext.commentText(c)), breakParent];
  }

  // Comments left before `pos` (spots no layout rule handles): kept, after the current line's code.
  flushBefore(pos: number): Doc[] {
    const out: Doc[] = [];
    while (this.ci < this.comments.length && this.comments[this.ci]!.startOffset < pos) out.push(...this.suffix(this.comments[this.ci++]!));
    return out;
  }

  // Comments after offset `end` on the same source line: trailing (or inline block) comments.
  trailingAfter(end: number): Doc[] {
    const out: Doc[] = [];
    while (this.ci < this.comments.length) {
      const c = this.comments[this.ci]!;
      if (c.startOffset < end || this.newlineBetween(end, c.startOffset) || this.tokenBetween(end, c.startOffset)) break;
      this.ci++;
      if (c.tokenType === T.BlockComment && !this.followedByNewline(c) && !c.image.includes("\n")) out.push(" " + c.image);
      else out.push(...this.suffix(c));
      end = c.startOffset + c.image.length;
    }
    return out;
  }

  // A token, with the comments before it that nothing else placed and the trailing comments after it.
  tok(t: IToken, image: string = t.image): Doc {
    const before = this.flushBefore(t.startOffset);
    const after = this.trailingAfter(t.startOffset + t.image.length);
    if (before.length === 0 && after.length === 0) return image;
    return [...before, image, ...after];
  }

  // Own-line comments before `pos` as lines (each followed by a line break); trailing ones as
  // suffixes of the current line. For spots like pipe stages where a line break follows anyway.
  leadingLines(pos: number): { trailing: Doc[]; lines: Doc[] } {
    const trailing: Doc[] = [];
    const lines: Doc[] = [];
    while (this.ci < this.comments.length && this.comments[this.ci]!.startOffset < pos) {
      const c = this.comments[this.ci++]!;
      if (this.ownLine(c)) lines.push(FormatContext.commentText(c), hardline);
      else if (lines.length === 0) trailing.push(...this.suffix(c));
      else lines.push(...this.suffix(c));
    }
    return { trailing, lines };
  }

  // ---------------------------------------------------------------- statement sequences

  // Elements one per line, with comments attached per F15 and blank lines per `policy`. The
  // result starts with the first element (the caller puts the line break before it).
  sequence(elems: readonly SeqElem[], closeAt: number, policy: Policy): Doc[] {
    const parts: Doc[] = [];
    let prev: Unit | null = null;
    let prevEnd = 0;
    const emit = (unit: Unit, doc: Doc, start: number, end: number) => {
      if (prev !== null) {
        parts.push(hardline);
        if (policy(prev, unit, this.blankBetween(prevEnd, start)) > 0) parts.push(hardline);
      }
      parts.push(doc);
      prev = unit;
      prevEnd = end;
    };
    type Run = { docs: Doc[]; start: number; end: number; moduleDoc: boolean };
    const takeRuns = (limit: number): Run[] => {
      const runs: Run[] = [];
      while (this.ci < this.comments.length && this.comments[this.ci]!.startOffset < limit) {
        const c = this.comments[this.ci]!;
        this.ci++;
        const last = runs[runs.length - 1];
        if (!this.ownLine(c)) {
          if (last !== undefined && !this.newlineBetween(last.end, c.startOffset)) {
            last.docs.push(...this.suffix(c));
            last.end = c.startOffset + c.image.length;
          } else parts.push(...this.suffix(c));
          continue;
        }
        const md = c.tokenType === T.ModuleDoc;
        const text = FormatContext.commentText(c);
        const end = c.startOffset + c.image.length;
        if (last !== undefined && last.moduleDoc === md && this.blankBetween(last.end, c.startOffset) === 0) {
          last.docs.push(hardline, text);
          last.end = end;
        } else runs.push({ docs: [text], start: c.startOffset, end, moduleDoc: md });
      }
      return runs;
    };
    const freeRun = (r: Run) =>
      emit({ kind: "comment", multi: false, comment: true, moduleDoc: r.moduleDoc }, r.docs, r.start, r.end);
    for (const el of elems) {
      const runs = takeRuns(el.start);
      let attached: Run | null = null;
      runs.forEach((r, i) => {
        if (i === runs.length - 1 && !r.moduleDoc && this.blankBetween(r.end, el.start) === 0) attached = r;
        else freeRun(r);
      });
      const doc = el.render();
      // `multi` is read by the container policy only: computed on demand (it walks the document).
      let multi: boolean | undefined;
      const unit: Unit = {
        kind: el.kind,
        get multi() {
          return (multi ??= hasHardBreak(doc));
        },
        comment: false,
        moduleDoc: false,
      };
      const a = attached as Run | null;
      if (a !== null) emit(unit, [a.docs, hardline, doc], a.start, el.end);
      else emit(unit, doc, el.start, el.end);
    }
    for (const r of takeRuns(closeAt)) freeRun(r);
    return parts;
  }

  // A `do … end` body: nothing when empty, else the indented sequence after a line break.
  body(elems: readonly SeqElem[], closeAt: number, policy: Policy = bodyPolicy): Doc {
    const seq = this.sequence(elems, closeAt, policy);
    return seq.length === 0 ? "" : indent([hardline, seq]);
  }

  // ---------------------------------------------------------------- bracketed lists (F13)

  bracket(open: Doc, elems: readonly ListElem[], close: IToken, opts: { spaced?: boolean; hug?: boolean } = {}): Doc {
    const closeStart = close.startOffset;
    const inner: Doc[] = [];
    const rendered: Doc[] = [];
    let forced = false;
    let lastIdx = -1;
    elems.forEach((el, i) => {
      const { trailing, lines } = this.leadingLines(el.start);
      if (lines.length > 0) forced = true;
      if (i > 0) inner.push(",", ...trailing, line);
      else inner.push(...trailing);
      const d = el.render();
      rendered.push(d);
      inner.push(...lines, d);
      lastIdx = inner.length - 1;
    });
    const { trailing, lines } = this.leadingLines(closeStart);
    if (lines.length > 0) {
      forced = true;
      lines.pop(); // the line break after the last comment is the closing one
      inner.push(...trailing, elems.length > 0 ? hardline : "", ...lines);
    } else inner.push(...trailing);
    // Comments after the closing bracket trail the whole list: they must not break it.
    const closeDoc: Doc = [...this.flushBefore(close.startOffset), close.image];
    const after = this.trailingAfter(close.startOffset + close.image.length);
    const withAfter = (d: Doc): Doc => (after.length === 0 ? d : [d, ...after]);
    const edge = opts.spaced ? line : softline;
    if (elems.length === 0 && !forced) return withAfter([open, closeDoc]);
    const broken: Doc = [open, indent([edge, inner]), edge, closeDoc];
    const last = elems[elems.length - 1];
    if (!opts.hug || forced || last === undefined || !last.hug) return withAfter(group(broken, forced));
    // Hugged: the last argument forced open, the rest flat on the opening line.
    const lastDoc = rendered[rendered.length - 1]!;
    const forcedLast: Doc = typeof lastDoc === "object" && !Array.isArray(lastDoc) && (lastDoc as Group).t === "group" && !(lastDoc as Group).states
      ? { ...(lastDoc as Group), brk: true }
      : lastDoc;
    const hugInner = inner.slice();
    hugInner[lastIdx] = forcedLast;
    return withAfter(conditionalGroup([broken, [open, hugInner, closeDoc], broken]));
  }
}
