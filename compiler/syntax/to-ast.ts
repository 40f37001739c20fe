// The CST -> AST visitor (top layer): module, items and documentation comments. It turns the
// parser's concrete tree into the `ast/syntax.ts` tree read by every later pass, reporting the
// few syntax errors the grammar deliberately accepts (P0001) on the way.
import type { CstNode, IToken } from "chevrotain";
import type {
  ActorDef, ConstDef, Deriving, FnDef, ImplDef, InterfaceDef, Item, MethodSig, Module, SchemaOption, ServiceDef,
  ServiceHandler, Span, StructDef, StructField, SumTypeDef, SupervisorChild, SupervisorDef, SupervisorEntry, TypeAliasDef,
  TypeExpr, VariantDef, Expr,
} from "../ast/syntax.js";
import { Incomplete, docText, firstToken, lastToken, need, needTok, needToks, sub, subs, tok, toks } from "./to-ast-base.js";
import { ToAstExpr } from "./to-ast-expr.js";

const SCHEMA_KEYS = new Set(["table", "primary_key", "timestamps", "belongs_to", "has_many", "has_one"]);

/** The shapes of orm.md §2.1's option lines; a message for a malformed one (P0001). */
function schemaOptionError(key: string, args: readonly Expr[]): string | null {
  const a = args[0]!;
  switch (key) {
    case "table":
      return args.length === 1 && a.kind === "String" && a.parts.every((p) => typeof p === "string")
        ? null
        : "`table` takes a plain string literal: `table \"users\"`";
    case "primary_key":
      return args.length === 1 && a.kind === "Atom" ? null : "`primary_key` takes an atom: `primary_key :id`";
    case "timestamps":
      return args.length === 1 && a.kind === "Bool" ? null : "`timestamps` takes `true` or `false`";
    default: {
      const t = args[1];
      const ok = args.length === 2 && a.kind === "Atom" && t !== undefined && t.kind === "Name" && /^[A-Z]/.test(t.name);
      return ok ? null : `\`${key}\` takes an atom and a type name: \`${key} :posts, Post\``;
    }
  }
}

// Items that may be marked `pub` (§2.4).
const PUB_OK = new Set(["fnDef", "structDef", "typeDecl", "interfaceDef", "actorDef", "serviceDef", "supervisorDef"]);
const ITEM_NAMES: Record<string, string> = {
  implDef: "an `impl`",
  importDecl: "an `import`",
  fromImport: "an import",
  letStmt: "a module constant",
  moduleDef: "a `module`",
  expression: "an expression",
};

export class ToAst extends ToAstExpr {
  module(n: CstNode, name: string, moduleDocs: readonly IToken[]): Module {
    const items: Item[] = [];
    for (const it of subs(n, "item")) {
      try {
        items.push(this.item(it));
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
    const doc = moduleDocs.length === 0 ? null : moduleDocs.map((t) => docText(t.image, 3)).join("\n");
    return { kind: "Module", file: this.file, name, items, doc };
  }

  // ---------------------------------------------------------------- items

  item(n: CstNode): Item {
    const pubTok = tok(n, "Pub");
    const pub = pubTok !== undefined;
    for (const key in n.children) {
      if (key === "Pub") continue;
      const node = n.children[key]![0] as CstNode;
      if (pub && !PUB_OK.has(key)) this.report(`\`pub\` is not allowed on ${ITEM_NAMES[key] ?? "this item"}`, this.tokSpan(pubTok));
      switch (key) {
        case "fnDef": {
          const first = pubTok ?? need(tok(node, "Fn") ?? tok(node, "Def"));
          return this.fnDef(node, pub, this.docFor(first), pubTok);
        }
        case "structDef": return this.structDef(node, pubTok);
        case "typeDecl": return this.typeDecl(node, pubTok);
        case "interfaceDef": return this.interfaceDef(node, pubTok);
        case "implDef": return this.implDef(node);
        case "importDecl": {
          const segs = needToks(node, "seg");
          const path = segs.map((t) => t.image);
          return { kind: "Import", span: this.between(need(tok(node, "Import")), need(segs[segs.length - 1])), path };
        }
        case "fromImport": return this.fromImport(node);
        case "letStmt": {
          const l = this.letStmt(node);
          const c: ConstDef = { kind: "Const", span: l.span, pattern: l.pattern, type: l.type, value: l.value };
          return c;
        }
        case "actorDef": return this.actorDef(node, pubTok);
        case "serviceDef": return this.serviceDef(node, pubTok);
        case "supervisorDef": return this.supervisorDef(node, pubTok);
        case "moduleDef":
        case "expression": {
          const first = need(firstToken(node));
          const last = need(lastToken(node));
          return { kind: "BadItem", span: this.between(first, last), what: key === "moduleDef" ? "module" : "expression" };
        }
      }
    }
    throw new Incomplete();
  }

  private name(n: CstNode): { name: string; nameSpan: Span } {
    const t = needTok(n, "name");
    return { name: t.image, nameSpan: this.tokSpan(t) };
  }

  private deriving(n: CstNode | undefined): Deriving | null {
    if (n === undefined) return null;
    const kw = need(tok(n, "LowerIdent"));
    return {
      span: this.between(kw, need(tok(n, "RParen"))),
      names: needToks(n, "name").map((t) => ({ name: t.image, span: this.tokSpan(t) })),
    };
  }

  // Runs `f` on each node; a node left incomplete by recovery is skipped.
  private each<R>(nodes: readonly CstNode[], f: (n: CstNode) => R | null): R[] {
    const out: R[] = [];
    for (const n of nodes) {
      try {
        const r = f(n);
        if (r !== null) out.push(r);
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
    return out;
  }

  private structDef(n: CstNode, pubTok: IToken | undefined): StructDef {
    const kw = need(tok(n, "Struct"));
    const fields: StructField[] = [];
    const schema: SchemaOption[] = [];
    for (const m of subs(n, "structMember")) {
      try {
        const key = needTok(m, "name");
        const tn = sub(m, "typeExpr");
        if (tn !== undefined) {
          const type = this.typeExpr(tn);
          fields.push({ name: key.image, span: this.between(key, type.span), type });
        } else if (SCHEMA_KEYS.has(key.image)) {
          const args = subs(m, "expression").map((e) => this.expression(e));
          const span = this.between(key, need(args[args.length - 1]).span);
          const bad = schemaOptionError(key.image, args);
          if (bad !== null) this.report(bad, span);
          else schema.push({ span, key: key.image, args });
        } else {
          this.report(`expected a field \`${key.image} :: Type\`; \`${key.image}\` is not a struct option (table, primary_key, timestamps, belongs_to, has_many, has_one)`, this.tokSpan(key));
        }
      } catch (e) {
        if (!(e instanceof Incomplete)) throw e;
      }
    }
    const end = need(tok(n, "End"));
    const deriving = this.deriving(sub(n, "derivingClause"));
    return {
      kind: "StructDef",
      span: this.between(pubTok ?? kw, deriving?.span ?? end),
      ...this.name(n),
      pub: pubTok !== undefined,
      generics: this.generics(sub(n, "generics")),
      fields,
      schema,
      deriving,
    };
  }

  private typeDecl(n: CstNode, pubTok: IToken | undefined): SumTypeDef | TypeAliasDef {
    const kw = need(tok(n, "Type"));
    const common = { ...this.name(n), pub: pubTok !== undefined, generics: this.generics(sub(n, "generics")) };
    const alias = sub(n, "typeExpr");
    if (alias !== undefined) {
      const type = this.typeExpr(alias);
      return { kind: "TypeAliasDef", span: this.between(pubTok ?? kw, type.span), ...common, type };
    }
    const end = need(tok(n, "End"));
    const variants = this.each<VariantDef>(subs(n, "variant"), (v) => {
      const name = needTok(v, "name");
      const fields = subs(v, "variantField").map((f) => {
        const fname = tok(f, "name");
        const type = this.typeExpr(need(sub(f, "typeExpr")));
        return { name: fname?.image ?? null, type, span: fname === undefined ? type.span : this.between(fname, type.span) };
      });
      const rp = tok(v, "RParen");
      return { name: name.image, span: rp === undefined ? this.tokSpan(name) : this.between(name, rp), fields };
    });
    const deriving = this.deriving(sub(n, "derivingClause"));
    return { kind: "SumTypeDef", span: this.between(pubTok ?? kw, deriving?.span ?? end), ...common, variants, deriving };
  }

  private interfaceDef(n: CstNode, pubTok: IToken | undefined): InterfaceDef {
    const kw = need(tok(n, "Interface"));
    const assocTypes = this.each(subs(n, "assocType"), (a) => {
      const t = needTok(a, "name");
      if (sub(a, "typeExpr") !== undefined) this.report("an associated type in an interface cannot be given a type here; bind it in each `impl`", this.tokSpan(t));
      return { name: t.image, span: this.tokSpan(t) };
    });
    const methods = this.each<MethodSig>(subs(n, "methodSig"), (m) => {
      const mkw = need(tok(m, "Fn") ?? tok(m, "Def"));
      const rn = sub(m, "ret");
      const ret = rn === undefined ? null : this.typeExpr(rn);
      const params = this.paramList(sub(m, "paramList"));
      let body = null;
      let last: Span | IToken = ret?.span ?? need(tok(m, "name"));
      const pl = sub(m, "paramList");
      if (ret === null && pl !== undefined) last = need(tok(pl, "RParen"));
      if (tok(m, "Do") !== undefined) {
        const b = this.doBody(m);
        body = b.block;
        last = b.end;
      }
      return { span: this.between(mkw, last), ...this.name(m), params, ret, body };
    });
    return {
      kind: "InterfaceDef",
      span: this.between(pubTok ?? kw, need(tok(n, "End"))),
      ...this.name(n),
      pub: pubTok !== undefined,
      generics: this.generics(sub(n, "generics")),
      assocTypes,
      methods,
    };
  }

  private implDef(n: CstNode): ImplDef {
    const kw = need(tok(n, "Impl"));
    const iface = needToks(n, "iface");
    const assocTypes = this.each(subs(n, "assocType"), (a) => {
      const t = needTok(a, "name");
      const tn = sub(a, "typeExpr");
      if (tn === undefined) {
        this.report(`expected \`= Type\` after \`type ${t.image}\` in an impl`, this.tokSpan(t));
        return null;
      }
      return { name: t.image, span: this.tokSpan(t), type: this.typeExpr(tn) };
    });
    const methods = this.each<FnDef>(subs(n, "fnDef"), (f) => this.fnDef(f, false, this.docFor(need(tok(f, "Fn") ?? tok(f, "Def")))));
    return {
      kind: "ImplDef",
      span: this.between(kw, need(tok(n, "End"))),
      iface: iface.map((t) => t.image),
      ifaceSpan: this.between(need(iface[0]), need(iface[iface.length - 1])),
      ifaceArgs: subs(n, "ifaceArg").map((a) => this.typeExpr(a)),
      target: this.typeExpr(need(sub(n, "target"))) as TypeExpr,
      where: this.whereClause(sub(n, "whereClause")),
      assocTypes,
      methods,
    };
  }

  private fromImport(n: CstNode): Item {
    const from = need(tok(n, "from"));
    const segs = needToks(n, "seg");
    const list = need(sub(n, "importList"));
    const namesNode = sub(list, "importNames");
    const star = tok(list, "Star");
    if (star !== undefined) {
      this.report("`from … import *` is not supported: list the names to import", this.tokSpan(star));
    }
    const nameToks = namesNode === undefined ? [] : toks(namesNode, "name").filter((t) => !t.isInsertedInRecovery);
    const last = tok(list, "RParen") ?? star ?? nameToks[nameToks.length - 1] ?? need(tok(n, "Import"));
    return {
      kind: "FromImport",
      span: this.between(from, last),
      path: segs.map((t) => t.image),
      pathSpan: this.between(need(segs[0]), need(segs[segs.length - 1])),
      names: nameToks.map((t) => ({ name: t.image, span: this.tokSpan(t) })),
    };
  }

  private actorDef(n: CstNode, pubTok: IToken | undefined): ActorDef {
    const kw = need(tok(n, "Actor"));
    const d = need(tok(n, "Do"));
    const ends = toks(n, "End");
    const end = need(ends[0]);
    let terminate = null;
    const tkw = tok(n, "Terminate");
    if (tkw !== undefined) {
      const d2 = toks(n, "Do")[1];
      terminate = this.block(sub(n, "terminate"), this.end(need(d2)));
    }
    return {
      kind: "ActorDef",
      span: this.between(pubTok ?? kw, end),
      ...this.name(n),
      pub: pubTok !== undefined,
      params: this.paramList(sub(n, "paramList")),
      body: this.block(sub(n, "block"), this.end(d)),
      terminate,
    };
  }

  private serviceDef(n: CstNode, pubTok: IToken | undefined): ServiceDef {
    const kw = need(tok(n, "Service"));
    const fns = this.each<FnDef>(subs(n, "fnDef"), (f) => this.fnDef(f, false, this.docFor(need(tok(f, "Fn") ?? tok(f, "Def")))));
    const handlers = this.each<ServiceHandler>(subs(n, "handler"), (h) => {
      const kind = needTok(h, "kind");
      const tn = sub(h, "typeExpr");
      const reply = tn === undefined ? null : this.typeExpr(tn);
      if (reply !== null && kind.image === "cast") this.report("a `cast` handler sends no reply, so it has no `:: Type`", reply.span);
      const sp = sub(h, "patPrim");
      const { block, end } = this.doBody(h);
      return {
        span: this.between(kind, end),
        kind: kind.image === "call" ? "call" : "cast",
        ...this.name(h),
        params: this.paramList(sub(h, "paramList")),
        reply,
        stateParam: sp === undefined ? null : this.patPrim(sp),
        body: block,
      };
    });
    return {
      kind: "ServiceDef",
      span: this.between(pubTok ?? kw, need(tok(n, "End"))),
      ...this.name(n),
      pub: pubTok !== undefined,
      fns,
      handlers,
    };
  }

  private supEntries(nodes: readonly CstNode[]): SupervisorEntry[] {
    return this.each(nodes, (e) => {
      const key = needTok(e, "key");
      const value = this.expression(need(sub(e, "expression")));
      return { span: this.between(key, value.span), key: key.image, keySpan: this.tokSpan(key), value };
    });
  }

  private supervisorDef(n: CstNode, pubTok: IToken | undefined): SupervisorDef {
    const kw = need(tok(n, "Supervisor"));
    const children = this.each<SupervisorChild>(subs(n, "supChild"), (c) => ({
      span: this.between(need(tok(c, "child")), need(tok(c, "End"))),
      ...this.name(c),
      entries: this.supEntries(subs(c, "supEntry")),
    }));
    return {
      kind: "SupervisorDef",
      span: this.between(pubTok ?? kw, need(tok(n, "End"))),
      ...this.name(n),
      pub: pubTok !== undefined,
      entries: this.supEntries(subs(n, "supEntry")),
      children,
    };
  }
}
