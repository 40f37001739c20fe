// Formatter layer for the module and its items (tooling.md F4, F6, F7, F14): functions, types,
// interfaces, impls, imports, actors, services, supervisors and inline modules.
import type { CstNode, IToken } from "chevrotain";
import { group, hardline, ifBreak, indent, line, softline, type Doc } from "./doc.js";
import { isTok, kids, node, nodes, startOf, endOf, token, tokens, type El } from "./cst.js";
import { bodyPolicy, containerPolicy, type Policy, type SeqElem } from "./format-context.js";
import { ExprFormatter } from "./format-expr.js";
import * as T from "../syntax/tokens.js";

const sameKind = (k: string) => k === "import" || k === "const" || k === "alias" || k.startsWith("fn:");

// F4: one blank line between top-level items, the source's zero or one between items of the same
// kind (imports, constants, aliases, clauses of one function); `##!` is followed by one.
const topPolicy: Policy = (p, n, b) => {
  if (p.moduleDoc) return 1;
  if (p.comment || n.comment) return 1;
  if (p.kind === n.kind && sameKind(p.kind)) return b;
  return 1;
};

export class ItemFormatter extends ExprFormatter {
  module(cst: CstNode): Doc {
    return this.sequence(this.itemElems(cst), this.src.length, topPolicy);
  }

  private itemElems(n: CstNode): SeqElem[] {
    return nodes(n, "item").map((it) => ({ start: startOf(it), end: endOf(it), kind: this.itemKind(it), render: () => this.item(it) }));
  }

  private inner(it: CstNode): CstNode {
    return kids(it).find((e) => !isTok(e)) as CstNode;
  }

  private itemKind(it: CstNode): string {
    const n = this.inner(it);
    switch (n.name) {
      case "importDecl":
      case "fromImport":
        return "import";
      case "letStmt":
        return "const";
      case "typeDecl":
        return token(n, "Eq") !== undefined ? "alias" : "type";
      case "fnDef":
        return "fn:" + token(n, "name")!.image;
      default:
        return n.name;
    }
  }

  item(it: CstNode): Doc {
    const pub = token(it, "Pub");
    const n = this.inner(it);
    const d = this.itemInner(n);
    return pub ? [this.tok(pub), " ", d] : d;
  }

  private itemInner(n: CstNode): Doc {
    switch (n.name) {
      case "fnDef":
        return this.fnDef(n);
      case "structDef":
        return this.structDef(n);
      case "typeDecl":
        return this.typeDecl(n);
      case "interfaceDef":
        return this.interfaceDef(n);
      case "implDef":
        return this.implDef(n);
      case "importDecl":
        return this.joined(n);
      case "fromImport":
        return this.fromImport(n);
      case "letStmt":
        return this.letStmt(n);
      case "actorDef":
        return this.actorDef(n);
      case "serviceDef":
        return this.serviceDef(n);
      case "supervisorDef":
        return this.supervisorDef(n);
      case "moduleDef":
        return this.moduleDef(n);
      default:
        return this.expr(n, true);
    }
  }

  // `[kw] do` members `end`
  private container(head: Doc, doTok: IToken, elems: SeqElem[], end: IToken, policy: Policy = containerPolicy): Doc {
    return [head, " ", this.tok(doTok), this.body(elems, end.startOffset, policy), hardline, this.tok(end)];
  }

  private elems(list: CstNode[], render: (n: CstNode) => Doc, kind = "member"): SeqElem[] {
    return list.map((n) => ({ start: startOf(n), end: endOf(n), kind, render: () => render(n) }));
  }

  // ---------------------------------------------------------------- functions (F7)

  fnDef(n: CstNode): Doc {
    const kw = token(n, "Fn") ?? token(n, "Def")!;
    const parts: Doc[] = [this.tok(kw), " ", this.tok(token(n, "name")!)];
    const gen = node(n, "generics");
    if (gen) parts.push(this.joined(gen));
    const pl = node(n, "paramList");
    if (pl) parts.push(this.paramList(pl));
    const arrow = token(n, "Arrow");
    if (arrow) parts.push(" ", this.tok(arrow), " ", this.joined(node(n, "ret")!));
    const wh = node(n, "whereClause");
    if (wh) parts.push(" ", this.joined(wh));
    const w = token(n, "When");
    if (w) parts.push(" ", this.tok(w), " ", this.expr(node(n, "guard")!));
    const body = node(n, "fnBody")!;
    const eq = token(body, "Eq");
    if (eq) parts.push(" ", this.tok(eq), " ", this.expr(node(body, "expression")!, true));
    else {
      const end = token(body, "End")!;
      parts.push(" ", this.tok(token(body, "Do")!), this.blockBody(node(body, "block"), end.startOffset), hardline, this.tok(end));
    }
    return parts;
  }

  // ---------------------------------------------------------------- types (F14)

  private structDef(n: CstNode): Doc {
    const head: Doc[] = [this.tok(token(n, "Struct")!), " ", this.tok(token(n, "name")!)];
    const gen = node(n, "generics");
    if (gen) head.push(this.joined(gen));
    const members = this.elems(nodes(n, "structMember"), (m) => this.structMember(m));
    const d = this.container(head, token(n, "Do")!, members, token(n, "End")!, bodyPolicy);
    const der = node(n, "derivingClause");
    return der ? [d, " ", this.joined(der)] : d;
  }

  private structMember(m: CstNode): Doc {
    const name = this.tok(token(m, "name")!);
    const cc = token(m, "ColonColon");
    if (cc) return [name, " ", this.tok(cc), " ", this.joined(node(m, "typeExpr")!)];
    const parts: Doc[] = [name, " "];
    const commas = tokens(m, "Comma");
    nodes(m, "expression").forEach((e, i) => {
      if (i > 0) parts.push(this.tok(commas[i - 1]!), " ");
      parts.push(this.expr(e));
    });
    return parts;
  }

  private typeDecl(n: CstNode): Doc {
    const head: Doc[] = [this.tok(token(n, "Type")!), " ", this.tok(token(n, "name")!)];
    const gen = node(n, "generics");
    if (gen) head.push(this.joined(gen));
    const eq = token(n, "Eq");
    if (eq) return [head, " ", this.tok(eq), " ", this.joined(node(n, "typeExpr")!)];
    const variants = this.elems(nodes(n, "variant"), (v) => this.joined(v));
    const d = this.container(head, token(n, "Do")!, variants, token(n, "End")!, bodyPolicy);
    const der = node(n, "derivingClause");
    return der ? [d, " ", this.joined(der)] : d;
  }

  // ---------------------------------------------------------------- interfaces and impls

  private interfaceDef(n: CstNode): Doc {
    const head: Doc[] = [this.tok(token(n, "Interface")!), " ", this.tok(token(n, "name")!)];
    const gen = node(n, "generics");
    if (gen) head.push(this.joined(gen));
    const members = kids(n)
      .filter((e): e is CstNode => !isTok(e) && (e.name === "assocType" || e.name === "methodSig"))
      .map((m) => ({ start: startOf(m), end: endOf(m), kind: m.name, render: () => (m.name === "assocType" ? this.joined(m) : this.methodSig(m)) }));
    return this.container(head, token(n, "Do")!, members, token(n, "End")!);
  }

  private methodSig(m: CstNode): Doc {
    const parts: Doc[] = [this.tok(token(m, "Fn") ?? token(m, "Def")!), " ", this.tok(token(m, "name")!)];
    const pl = node(m, "paramList");
    if (pl) parts.push(this.paramList(pl));
    const arrow = token(m, "Arrow");
    if (arrow) parts.push(" ", this.tok(arrow), " ", this.joined(node(m, "ret")!));
    const d = token(m, "Do");
    if (d) {
      const end = token(m, "End")!;
      parts.push(" ", this.tok(d), this.blockBody(node(m, "block"), end.startOffset), hardline, this.tok(end));
    }
    return parts;
  }

  private implDef(n: CstNode): Doc {
    const forTok = token(n, "For")!;
    const doTok = token(n, "Do")!;
    const all = kids(n);
    const before = all.filter((e) => startOf(e) > token(n, "Impl")!.startOffset && startOf(e) < forTok.startOffset);
    const head: Doc[] = [this.tok(token(n, "Impl")!), " ", this.joined(before), " ", this.tok(forTok), " ", this.joined(node(n, "target")!)];
    const wh = node(n, "whereClause");
    if (wh) head.push(" ", this.joined(wh));
    const members = all
      .filter((e): e is CstNode => !isTok(e) && startOf(e) > doTok.startOffset && (e.name === "assocType" || e.name === "fnDef"))
      .map((m) => ({ start: startOf(m), end: endOf(m), kind: m.name, render: () => (m.name === "assocType" ? this.joined(m) : this.fnDef(m)) }));
    return this.container(head, doTok, members, token(n, "End")!);
  }

  // ---------------------------------------------------------------- imports

  private fromImport(n: CstNode): Doc {
    const imp = token(n, "Import")!;
    const path = kids(n).filter((e) => isTok(e) && e.tokenType !== T.Import && startOf(e) > token(n, "from")!.startOffset && startOf(e) < imp.startOffset);
    const list = node(n, "importList")!;
    const parts: Doc[] = [this.tok(token(n, "from")!), " ", this.joined(path), " ", this.tok(imp), " "];
    const star = token(list, "Star");
    if (star) return [...parts, this.tok(star)];
    const names = node(list, "importNames")!;
    const elems = tokens(names, "name").map((t) => ({ start: t.startOffset, end: t.startOffset + t.image.length, render: () => this.tok(t) }));
    const lp = token(list, "LParen");
    if (lp) return [...parts, this.bracket(this.tok(lp), elems, token(list, "RParen")!)];
    // F13: a from-import list that does not fit is parenthesised, one name per line.
    const inner: Doc[] = [];
    elems.forEach((e, i) => {
      const { trailing, lines } = this.leadingLines(e.start);
      if (i > 0) inner.push(",", ...trailing, line);
      else inner.push(...trailing);
      inner.push(...lines, e.render());
    });
    return [...parts, group([ifBreak("(", ""), indent([softline, inner]), softline, ifBreak(")", "")])];
  }

  // ---------------------------------------------------------------- concurrency items

  private actorDef(n: CstNode): Doc {
    const head: Doc[] = [this.tok(token(n, "Actor")!), " ", this.tok(token(n, "name")!)];
    const pl = node(n, "paramList");
    if (pl) head.push(this.paramList(pl));
    const dos = tokens(n, "Do");
    const ends = tokens(n, "End");
    const elems = this.stmtElems(node(n, "block"));
    const term = token(n, "Terminate");
    if (term) {
      const tEnd = ends[0]!;
      elems.push({
        start: term.startOffset,
        end: tEnd.startOffset + tEnd.image.length,
        kind: "terminate",
        render: () => [this.tok(term), " ", this.tok(dos[1]!), this.blockBody(node(n, "terminate"), tEnd.startOffset), hardline, this.tok(tEnd)],
      });
    }
    return this.container(head, dos[0]!, elems, ends[ends.length - 1]!, bodyPolicy);
  }

  private serviceDef(n: CstNode): Doc {
    const head: Doc[] = [this.tok(token(n, "Service")!), " ", this.tok(token(n, "name")!)];
    const members = kids(n)
      .filter((e): e is CstNode => !isTok(e))
      .map((m) => ({ start: startOf(m), end: endOf(m), kind: m.name, render: () => (m.name === "fnDef" ? this.fnDef(m) : this.handler(m)) }));
    return this.container(head, token(n, "Do")!, members, token(n, "End")!);
  }

  private handler(h: CstNode): Doc {
    const parts: Doc[] = [this.tok(token(h, "kind")!), " ", this.tok(token(h, "name")!)];
    const pl = node(h, "paramList");
    if (pl) parts.push(this.paramList(pl));
    const cc = token(h, "ColonColon");
    if (cc) parts.push(" ", this.tok(cc), " ", this.joined(node(h, "typeExpr")!));
    parts.push(" ", this.tok(token(h, "Do")!));
    const bars = tokens(h, "Bar");
    if (bars.length === 2) parts.push(" ", this.tok(bars[0]!), this.joined(node(h, "patPrim")!), this.tok(bars[1]!));
    const end = token(h, "End")!;
    parts.push(this.blockBody(node(h, "block"), end.startOffset), hardline, this.tok(end));
    return parts;
  }

  private supEntry(e: CstNode): Doc {
    return [this.tok(token(e, "key")!), this.tok(token(e, "Colon")!), " ", this.expr(node(e, "expression")!)];
  }

  private supervisorDef(n: CstNode): Doc {
    const head: Doc[] = [this.tok(token(n, "Supervisor")!), " ", this.tok(token(n, "name")!)];
    const members = kids(n)
      .filter((e): e is CstNode => !isTok(e))
      .map((m) => ({
        start: startOf(m),
        end: endOf(m),
        kind: m.name,
        render: (): Doc => {
          if (m.name === "supEntry") return this.supEntry(m);
          const end = token(m, "End")!;
          const entries = this.elems(nodes(m, "supEntry"), (x) => this.supEntry(x));
          return this.container([this.tok(token(m, "child")!), " ", this.tok(token(m, "name")!)], token(m, "Do")!, entries, end, bodyPolicy);
        },
      }));
    return this.container(head, token(n, "Do")!, members, token(n, "End")!);
  }

  private moduleDef(n: CstNode): Doc {
    const doTok = token(n, "Do")!;
    const name = kids(n).filter((e) => isTok(e) && e.startOffset > token(n, "Module")!.startOffset && e.startOffset < doTok.startOffset) as El[];
    return this.container([this.tok(token(n, "Module")!), " ", this.joined(name)], doTok, this.itemElems(n), token(n, "End")!);
  }
}
