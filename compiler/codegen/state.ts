// Generation state shared by the lowering files: the per-module context (runtime helpers used,
// namespaces of other modules, line numbers) and the per-function context (JS names of Mesh
// bindings, generator or plain, tail-call loop, innermost loop).
import type * as S from "../ast/syntax.js";
import type { CheckResult, RType } from "../check/annotations.js";
import type { FnGroup } from "../analyse/group.js";
import { id, mem, type JsExpr, type JsStmt } from "./js-ast.js";
import { NameAlloc } from "./names.js";
import { findLib } from "../stdlib/signatures.js";
import type { ModIndex, ProgramIndex } from "./context.js";
import type { Local, LocalLookup, Suspension } from "./suspension.js";

// Every runtime helper generated code may import (as `$name`).
const HELPER_NAMES = (
  "DONE Err None Ok Some Less Equal Greater PREEMPT TIMEOUT SysDown SysExit SysNodeDown SysNodeUp atom budget callDepth callIface " +
  "OVERFLOW callMethod callStatic callSync ck compare concat deep defineStruct defineVariant eq ne lt gt le ge errInto hash head index " +
  "inspect isCons isEmpty isFailure isGen isInt isNullPid eqZero isSystemMessage iter iterOf leave lib link list listConcat makeStruct mapOf " +
  "negate add sub mul div rem imul idiv imod noCase noClause nullaryVariant ordGt ordLe ordGe panic range receive " +
  "registerBuiltinImpl registerFunctions registerImpl registerSource registerSpawnOptions runMain runSync self send serviceCall serviceCast " +
  "serviceHelper setActorArgs spawn spawnSupervisor startService strLt strGt strLe strGe tail text toString typeMeta updateStruct"
).split(" ");

const RECEIVED = "$rm";

/** A state the checker should have made impossible; compile.ts reports it as E9999. */
export class CodegenInternalError extends Error {}

// A base for generated module-level names: `Counter.get` → `Counter$get`, `new$` → `new`.
export function baseName(name: string): string {
  return name.replace(/[^\p{L}\p{N}_$]+/gu, "$").replace(/^\$+|\$+$/g, "") || "fn";
}

export class ModCtx {
  readonly helpers = new Set<string>();
  /** Library modules this module calls (their runtime layers are imported: generate.ts). */
  readonly libModules = new Set<string>();
  readonly nsAlias = new Map<string, string>(); // project module name -> JS namespace alias
  private readonly lineStarts: number[] | null;

  constructor(
    readonly px: ProgramIndex,
    readonly mod: ModIndex,
    readonly check: CheckResult,
    readonly susp: Suspension,
    sourceText: string | undefined,
  ) {
    this.genNames = mod.alloc.child();
    // temporaries (`$n` for parameter `n` in a tail call, `$t`, ...) must never take a helper's name
    for (const h of HELPER_NAMES) this.genNames.reserve("$" + h);
    this.genNames.reserve(RECEIVED);
    if (sourceText === undefined) this.lineStarts = null;
    else {
      const ls = [0];
      for (let i = 0; i < sourceText.length; i++) {
        const c = sourceText.charCodeAt(i);
        if (c === 10) ls.push(i + 1);
        else if (c === 13) {
          if (sourceText.charCodeAt(i + 1) === 10) i++;
          ls.push(i + 1);
        }
      }
      this.lineStarts = ls;
    }
  }

  // Names allocated while generating (namespaces, service functions, locals) live in a child of
  // the module's allocator, so generating a module twice gives the same output.
  private readonly genNames: NameAlloc;
  get alloc(): NameAlloc {
    return this.genNames;
  }

  private constNames: NameAlloc | null = null;
  get constAlloc(): NameAlloc {
    return (this.constNames ??= this.genNames.child());
  }

  // Module-level statements made while generating an item (receive matchers that capture nothing,
  // spawn options, the received-message slot); generate.ts emits them just before that item.
  readonly pending: JsStmt[] = [];
  private readonly spawnOpts = new Map<string, string>();
  private receivedSlot = false;

  // A module-level constant holding spawn options (one object per distinct target, not per spawn).
  spawnOptions(base: string, opts: JsExpr): JsExpr {
    const key = JSON.stringify(opts);
    let js = this.spawnOpts.get(key);
    if (!js) {
      js = this.alloc.fresh(`${base}$opts`);
      this.spawnOpts.set(key, js);
      this.pending.push({ k: "decl", kind: "const", name: js, init: opts });
    }
    return id(js);
  }

  // `$rm`: the message accepted by the last `receive` of this module. Its matcher stores the
  // message there and returns the arm index; the arm reads its bindings from it right after
  // `yield* $receive(...)` returns, before any other code (or process) can run.
  received(): JsExpr {
    if (!this.receivedSlot) {
      this.receivedSlot = true;
      this.pending.push(
        { k: "comment", text: "the message accepted by the last receive (read by its arm as soon as $receive returns)" },
        { k: "decl", kind: "let", name: RECEIVED, init: null },
        { k: "blank" },
      );
    }
    return id(RECEIVED);
  }

  // A runtime helper, imported as `$name`.
  rt(name: string): JsExpr {
    this.helpers.add(name);
    return id("$" + name);
  }

  // A library function: only names the signature table declares (and their `$g` forms) — a name
  // the checker left unresolved must not become a guessed `$lib.prelude.<name>`.
  lib(module: string | null, name: string): JsExpr {
    const base = name.endsWith("$g") ? name.slice(0, -2) : name;
    if (findLib(module, base) === undefined) {
      throw new CodegenInternalError(`no library function \`${module === null ? "" : module + "."}${base}\`: the name was not resolved by the type checker`);
    }
    if (module !== null) this.libModules.add(module);
    return mem(mem(this.rt("lib"), module ?? "prelude"), name);
  }

  // Reference to a module-level entity (`kind:name`) of `module`, through its namespace if foreign.
  ref(module: string, key: string): JsExpr {
    const target = this.px.mods.get(module);
    const js = target?.js.get(key) ?? key.slice(key.indexOf(":") + 1);
    if (module === this.mod.name || !target) return id(js);
    return mem(id(this.namespace(module)), js);
  }

  namespace(module: string): string {
    let a = this.nsAlias.get(module);
    if (!a) {
      const last = module.split(".").pop()!;
      a = this.alloc.fresh(last);
      this.nsAlias.set(module, a);
    }
    return a;
  }

  line(span: S.Span | undefined): number | undefined {
    if (!span || !this.lineStarts) return undefined;
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= span.start) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  typeOf(e: S.Expr): RType | undefined {
    return this.check.annotations.types.get(e);
  }
}

export interface LocalFn {
  readonly gen: boolean;
  readonly group?: FnGroup;
  readonly arity?: number;
}

export interface Binding {
  readonly js: string;
  readonly fn?: LocalFn; // known function value (local fn or let-bound closure)
  readonly type?: RType;
  readonly local?: Local; // what the suspension analysis knows about it
}

export class VarScope implements LocalLookup {
  private readonly vars = new Map<string, Binding>();
  constructor(readonly parent: VarScope | null) {}
  lookup(n: string): Binding | undefined {
    return this.vars.get(n) ?? this.parent?.lookup(n);
  }
  // LocalLookup for the suspension analysis
  get(n: string): Local | undefined {
    const b = this.lookup(n);
    return b ? (b.local ?? { k: "value", type: b.type }) : undefined;
  }
  set(n: string, b: Binding): void {
    this.vars.set(n, b);
  }
  // JS names of every binding in this scope chain (shadowed ones included).
  jsNames(into = new Set<string>()): Set<string> {
    for (const b of this.vars.values()) into.add(b.js);
    this.parent?.jsNames(into);
    return into;
  }
}

// A function whose self tail calls become a `while (true)` loop.
export interface TailCtx {
  readonly name: string; // Mesh name of the function
  readonly params: readonly string[]; // JS names of the parameters to reassign
  readonly actor: boolean; // actor continuation: also records the new arguments
  used: boolean;
  readonly isSelf: (callee: S.Expr) => boolean;
}

export interface LoopCtx {
  readonly acc: string | null; // JS array collecting `for` values, null for while / discarded for
}

export class FnCtx {
  tail: TailCtx | null = null;
  loop: LoopCtx | null = null;
  retType: S.TypeExpr | null = null; // declared result type (fallback for `?` without checker info)
  topKey: string | null = null; // "Module:name" of the enclosing top-level function (call graph)
  // inside an interface default method emitted for one impl: `self.m()` binds to that impl
  selfImpl: import("./context.js").ImplIndex | null = null;
  // Set by lowerFunction: the JS parameters the body reads directly (never per-iteration copies),
  // and statements to run once at function entry, before the tail-call loop (receive matchers
  // that only read those parameters).
  entryParams: ReadonlySet<string> | null = null;
  readonly entry: JsStmt[] = [];
  // Base of module-level names made for this function (`node` → `node$match`).
  baseName: string;
  constructor(
    readonly m: ModCtx,
    readonly gen: boolean,
    readonly alloc: NameAlloc,
    public scope: VarScope,
    readonly meshName: string, // for `no function clause matching` and error locations
    readonly inConst = false,
  ) {
    this.baseName = baseName(meshName);
  }

  // Closure / local function nested in this one. Its names avoid every name allocated so far
  // (all it can capture), while sibling closures may reuse names (`fn x -> … end` twice).
  nested(gen: boolean, meshName: string): FnCtx {
    const f = new FnCtx(this.m, gen, this.alloc.child(), new VarScope(this.scope), meshName, this.inConst);
    f.topKey = this.topKey;
    f.selfImpl = this.selfImpl;
    f.baseName = this.baseName;
    return f;
  }

  push(): VarScope {
    const prev = this.scope;
    this.scope = new VarScope(prev);
    return prev;
  }

  pop(prev: VarScope): void {
    this.scope = prev;
  }

  bind(meshName: string, extra: Omit<Binding, "js"> = {}): string {
    const js = this.alloc.fresh(meshName);
    this.scope.set(meshName, { js, ...extra });
    return js;
  }

  temp(base = "$t"): string {
    return this.alloc.fresh(base);
  }

  rt(name: string): JsExpr {
    return this.m.rt(name);
  }
}
