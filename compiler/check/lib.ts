// Standard-library signatures as the checker sees them: the LIB table of compiler/stdlib
// (module, name, type string), parsed with parseSig on first use and turned into type schemes.
// Single capital letters are type variables even when not listed; LIB_TYPES are opaque types.
// Variadic functions (`...`) and the tuple rest forms of the Tuple module are kept as extra facts
// that infer-call.ts checks at the call.
import { DEFERRED_MODULES, LIB, LIB_TYPES, MODULE_ALIASES, type LibSig } from "../stdlib/signatures.js";
import { parseSig, type TyTree } from "../stdlib/parse-sig.js";
import { con, freshVar, tFun, tList, tMap, tUnit, type Pred, type Scheme, type TVar, type Type } from "./types.js";

// A parameter written with a tuple rest form: `(A, ...)`, `(...T)`, `(...)`.
export interface RestParam {
  readonly index: number;
  readonly prefix: readonly Type[];
  readonly rest: Type | null; // null: further elements of any type
  readonly placeholder: TVar;
}

export interface LibFn {
  readonly module: string; // "" = prelude
  readonly name: string;
  readonly sig: LibSig;
  readonly suspends: boolean;
  scheme: Scheme | null;
  variadic: boolean;
  constant: boolean; // not a function (`Math.pi`)
  restParams: RestParam[];
}

const table = new Map<string, Map<string, LibFn>>();
for (const e of LIB) {
  const mod = e.module ?? "";
  let m = table.get(mod);
  if (!m) {
    m = new Map();
    table.set(mod, m);
  }
  m.set(e.name, { module: mod, name: e.name, sig: e, suspends: e.suspends === true, scheme: null, variadic: false, constant: false, restParams: [] });
}
const deferred = new Set(DEFERRED_MODULES);

export function isDeferredModule(name: string): boolean {
  return deferred.has(name);
}

export function libModuleName(name: string): string | null {
  const n = MODULE_ALIASES[name] ?? name;
  return n !== "" && table.has(n) ? n : null;
}

export function libModuleHas(module: string, name: string): boolean {
  return table.get(module)?.has(name) ?? false;
}

export function lookupLib(module: string, name: string): LibFn | null {
  const f = table.get(MODULE_ALIASES[module] ?? module)?.get(name);
  if (!f) return null;
  if (!f.scheme) parseEntry(f);
  return f;
}

// Opaque library types with their arity.
export function opaqueLibTypes(): Map<string, number> {
  return new Map(LIB_TYPES.map((t) => [t.name, t.arity] as const));
}

// ---------------------------------------------------------------- conversion

const NOSPAN = { file: "<stdlib>", start: 0, end: 0 };

class Conv {
  readonly vars = new Map<string, TVar>();
  readonly rest: RestParam[] = [];
  private paramIndex = -1;
  varFor(name: string): TVar {
    let v = this.vars.get(name);
    if (!v) {
      v = freshVar(1 << 30);
      this.vars.set(name, v);
    }
    return v;
  }
  param(t: TyTree, i: number): Type {
    this.paramIndex = i;
    const r = this.type(t, true);
    this.paramIndex = -1;
    return r;
  }
  type(t: TyTree, top = false): Type {
    switch (t.k) {
      case "name": {
        const args = t.args.map((a) => this.type(a));
        if (this.vars.has(t.name) || (/^[A-Z]$/.test(t.name) && args.length === 0)) return this.varFor(t.name);
        if (t.name === "Unit" && args.length === 0) return tUnit;
        if (t.name === "List" && args.length === 1) return tList(args[0]!);
        if (t.name === "Map" && args.length === 2) return tMap(args[0]!, args[1]!);
        if (t.name === "Set" && args.length === 0) return con("Set", [con("Int")]);
        return con(t.name, args);
      }
      case "tuple": {
        const elems = t.elems.map((a) => this.type(a));
        if (t.rest !== undefined) {
          const placeholder = freshVar(1 << 30);
          if (top && this.paramIndex >= 0) this.rest.push({ index: this.paramIndex, prefix: elems, rest: t.rest === null ? null : this.type(t.rest), placeholder });
          return placeholder;
        }
        if (elems.length === 0) return tUnit;
        if (elems.length === 1) return elems[0]!;
        return { k: "tuple", elems };
      }
      case "fun":
        return tFun(t.params.map((p) => this.type(p)), this.type(t.ret));
    }
  }
}

function parseEntry(f: LibFn): void {
  try {
    const p = parseSig(f.sig.type);
    const c = new Conv();
    const preds: Pred[] = [];
    for (const g of p.generics) {
      const v = c.varFor(g.name);
      for (const b of g.bounds) preds.push({ k: "iface", iface: b, args: [], type: v, span: NOSPAN, output: null, site: null, what: "" });
    }
    const params = p.params.map((t, i) => c.param(t, i));
    const ret = c.type(p.ret);
    const type = p.constant ? ret : tFun(params, ret);
    f.scheme = { vars: [...c.vars.values(), ...c.rest.map((r) => r.placeholder)], preds, type };
    f.variadic = p.variadic;
    f.constant = p.constant;
    f.restParams = c.rest;
  } catch {
    const v = freshVar(1 << 30);
    f.scheme = { vars: [v], preds: [], type: v };
    f.constant = true;
  }
}
