// Standard-library signatures as the checker sees them: the LIB table (module, name, type string)
// parsed into type schemes on first use. Type strings use the language's type syntax with a
// leading generic list whose parameters may carry interface bounds: `<T: Ord>(List<T>) -> List<T>`.
// Single capital letters are type variables even when not listed; other unknown names are opaque
// library types (`Iter<T>`, `Json`, `Request`, ...). A parameter `...` makes a function variadic.
import { LIB_TEMP } from "./lib-temp.js";
import { con, freshVar, tFun, tList, tMap, tOption, tResult, tUnit, type Pred, type Scheme, type TVar, type Type } from "./types.js";

export interface LibFn {
  readonly module: string; // "" = prelude
  readonly name: string;
  readonly type: string;
  readonly suspends: boolean;
  scheme: Scheme | null;
  variadic: boolean;
  constant: boolean; // not a function (`Math.pi`)
}

const MODULE_ALIASES: Record<string, string> = { JSON: "Json", Http: "HTTP" };

const table = new Map<string, Map<string, LibFn>>();
for (const e of LIB_TEMP) {
  let m = table.get(e.module);
  if (!m) {
    m = new Map();
    table.set(e.module, m);
  }
  m.set(e.name, { module: e.module, name: e.name, type: e.type, suspends: e.suspends === true, scheme: null, variadic: false, constant: false });
}
for (const extra of ["Int", "Float", "String", "List", "Map", "Set", "Range", "Tuple", "Iter", "Queue", "Json", "HTTP", "Process", "Timer", "Job", "Node", "Global", "IO", "Math", "Env", "File"]) {
  if (!table.has(extra)) table.set(extra, new Map());
}

// Opaque library types (`Request`, `PoolHandle`, `Iter<T>`, ...): every capitalised type name used
// in a signature that is not a built-in type, with the number of type arguments it is used with.
const KNOWN = new Set(["Int", "Float", "Bool", "String", "Atom", "Range", "Pid", "List", "Map", "Set", "Option", "Result", "Ordering", "Fun", "Unit", "Self", "SystemMessage"]);
const FIXED_OPAQUE: Record<string, number> = { Router: 0, Request: 0, Response: 0, Json: 0, PgConn: 0, PoolHandle: 0, SqliteConn: 0, Iter: 1, Queue: 1 };

export function opaqueLibTypes(): Map<string, number> {
  const out = new Map<string, number>(Object.entries(FIXED_OPAQUE));
  for (const m of table.values()) {
    for (const f of m.values()) {
      const re = /\b([A-Z][A-Za-z0-9]+)(<)?/g;
      let mt: RegExpExecArray | null;
      while ((mt = re.exec(f.type)) !== null) {
        const n = mt[1]!;
        if (KNOWN.has(n) || out.has(n) || n.length === 1) continue;
        let arity = 0;
        if (mt[2]) {
          let depth = 1;
          arity = 1;
          for (let i = re.lastIndex; i < f.type.length && depth > 0; i++) {
            const c = f.type[i];
            if (c === "<") depth++;
            else if (c === ">") depth--;
            else if (c === "," && depth === 1) arity++;
          }
        }
        out.set(n, arity);
      }
    }
  }
  return out;
}

export function libModuleName(name: string): string | null {
  const n = MODULE_ALIASES[name] ?? name;
  return n !== "" && table.has(n) ? n : null;
}

export function libModuleHas(module: string, name: string): boolean {
  return table.get(module)?.has(name) ?? false;
}

export function lookupLib(module: string, name: string): LibFn | null {
  const f = table.get(module)?.get(name);
  if (!f) return null;
  if (!f.scheme) parseEntry(f);
  return f;
}

export function libFunctionNames(module: string): string[] {
  return [...(table.get(module)?.keys() ?? [])];
}

// ---------------------------------------------------------------- signature parser

class SigParser {
  private pos = 0;
  private readonly toks: string[];
  readonly vars = new Map<string, TVar>();
  readonly preds: Pred[] = [];
  variadic = false;
  constructor(text: string) {
    this.toks = text.match(/->|\.\.\.|::|[A-Za-z_][A-Za-z0-9_]*|[<>(),?!:+.]/g) ?? [];
  }
  private peek(): string | undefined {
    return this.toks[this.pos];
  }
  private eat(t: string): boolean {
    if (this.toks[this.pos] === t) {
      this.pos++;
      return true;
    }
    return false;
  }
  private expect(t: string): void {
    if (!this.eat(t)) throw new Error(`expected ${t} at ${this.pos}`);
  }
  private varFor(name: string): TVar {
    let v = this.vars.get(name);
    if (!v) {
      v = freshVar(1 << 30);
      this.vars.set(name, v);
    }
    return v;
  }
  parseTop(): Type {
    if (this.eat("<")) {
      do {
        const name = this.toks[this.pos++]!;
        const v = this.varFor(name);
        if (this.eat(":")) {
          do {
            const iface = this.toks[this.pos++]!;
            this.preds.push({ k: "iface", iface, args: [], type: v, span: NOSPAN, output: null, site: null, what: "" });
          } while (this.eat("+"));
        }
      } while (this.eat(","));
      this.expect(">");
    }
    if (this.peek() === "(" && this.isFunctionSig()) {
      this.expect("(");
      const params: Type[] = [];
      if (!this.eat(")")) {
        do {
          if (this.eat("...")) {
            this.variadic = true;
            continue;
          }
          if (/^[a-z_]/.test(this.peek() ?? "") && this.toks[this.pos + 1] === "::") this.pos += 2;
          params.push(this.parseType());
        } while (this.eat(","));
        this.expect(")");
      }
      this.expect("->");
      return tFun(params, this.parseType());
    }
    return this.parseType();
  }
  // `(A, B) -> R` at top level is a function signature; `(A, B)` alone a tuple constant.
  private isFunctionSig(): boolean {
    let depth = 0;
    for (let i = this.pos; i < this.toks.length; i++) {
      const t = this.toks[i];
      if (t === "(") depth++;
      else if (t === ")") {
        depth--;
        if (depth === 0) return this.toks[i + 1] === "->";
      }
    }
    return false;
  }
  parseType(): Type {
    let t = this.parseBase();
    while (this.eat("?")) t = tOption(t);
    if (this.eat("!")) t = tResult(t, this.parseType());
    return t;
  }
  private parseBase(): Type {
    if (this.eat("(")) {
      if (this.eat(")")) return tUnit;
      const elems = [this.parseType()];
      while (this.eat(",")) elems.push(this.parseType());
      this.expect(")");
      return elems.length === 1 ? elems[0]! : { k: "tuple", elems };
    }
    const name = this.toks[this.pos++];
    if (name === undefined) throw new Error("unexpected end");
    if (name === "Fun") {
      this.expect("(");
      const params: Type[] = [];
      if (!this.eat(")")) {
        do params.push(this.parseType());
        while (this.eat(","));
        this.expect(")");
      }
      this.expect("->");
      return tFun(params, this.parseType());
    }
    let full = name;
    while (this.peek() === "." && /^[A-Z]/.test(this.toks[this.pos + 1] ?? "")) {
      this.pos++;
      full += "." + this.toks[this.pos++];
    }
    const args: Type[] = [];
    if (this.eat("<")) {
      do args.push(this.parseType());
      while (this.eat(","));
      this.expect(">");
    }
    if (this.vars.has(full) || (/^[A-Z]$/.test(full) && args.length === 0)) return this.varFor(full);
    if (full === "Unit") return tUnit;
    if (full === "List" && args.length === 1) return tList(args[0]!);
    if (full === "Map" && args.length === 2) return tMap(args[0]!, args[1]!);
    if (full === "Set" && args.length === 0) return con("Set", [con("Int")]);
    return con(full, args);
  }
}

const NOSPAN = { file: "<stdlib>", start: 0, end: 0 };

function parseEntry(f: LibFn): void {
  try {
    const p = new SigParser(f.type);
    const t = p.parseTop();
    f.scheme = { vars: [...p.vars.values()], preds: p.preds, type: t };
    f.variadic = p.variadic;
    f.constant = t.k !== "fun";
  } catch {
    const v = freshVar(1 << 30);
    f.scheme = { vars: [v], preds: [], type: v };
    f.constant = true;
  }
}

export function parseLibType(text: string): Scheme {
  const p = new SigParser(text);
  const t = p.parseTop();
  return { vars: [...p.vars.values()], preds: p.preds, type: t };
}
