// What the compiler knows about a library function besides its type, derived from its entry in
// signatures.ts (never listed again elsewhere): does a call suspend, which arguments are callbacks
// called during the call, does it pull a lazy iterator, and does the runtime have a `name$g`
// generator variant for it (runtime/stdlib/hof.ts; a test checks every one exists).
import { findLib, LIB, type LibSig } from "./signatures.js";
import { parseSig, type TyTree } from "./parse-sig.js";

export interface LibFacts {
  readonly sig: LibSig;
  /** A call is a suspension point by itself ([S], stdlib.md §31). */
  readonly suspends: boolean;
  /** Positions of the `Fun` parameters the function calls during the call (none when it `keeps` them). */
  readonly callbacks: readonly number[];
  /**
   * The function drains a lazy iterator it is given (an `Iter<…>` parameter, a result that is not
   * an Iter): the iterator's stages may run suspending callbacks, so every call is a suspension
   * point and goes through the `$g` variant.
   */
  readonly pulls: boolean;
  /** The runtime has `name$g`: the function calls callbacks or pulls, and is not itself [S]. */
  readonly genVariant: boolean;
}

const cache = new Map<LibSig, LibFacts>();

const isIter = (t: TyTree): boolean => t.k === "name" && t.name === "Iter";

function derive(sig: LibSig): LibFacts {
  const suspends = sig.suspends === true;
  let callbacks: number[] = [];
  let pulls = false;
  try {
    const p = parseSig(sig.type);
    if (sig.keeps !== true) callbacks = p.params.flatMap((t, i) => (t.k === "fun" ? [i] : []));
    pulls = p.params.some(isIter) && !isIter(p.ret);
  } catch {
    // a malformed type string is reported by the signature tests; treat it as a plain function
  }
  return { sig, suspends, callbacks, pulls, genVariant: !suspends && (callbacks.length > 0 || pulls) };
}

/** Facts of `Module.name` (module null for the prelude; aliases resolved), or undefined if unknown. */
export function libFacts(module: string | null, name: string): LibFacts | undefined {
  const sig = findLib(module, name);
  if (sig === undefined) return undefined;
  let f = cache.get(sig);
  if (f === undefined) {
    f = derive(sig);
    cache.set(sig, f);
  }
  return f;
}

/** Layers of the runtime that a program loads only when it calls them (runtime/lib/<layer>.ts). */
export type LazyLayer = "web" | "db" | "orm" | "dist";
const LAZY: ReadonlySet<string> = new Set(["web", "db", "orm", "dist"]);
const LAYER_OF = new Map<string, LazyLayer>();
for (const e of LIB) if (e.module !== null && e.owner !== undefined && LAZY.has(e.owner)) LAYER_OF.set(e.module, e.owner as LazyLayer);

/** The lazily loaded runtime layer implementing `module` (HTTP → web, Repo → orm), or null. */
export function layerOf(module: string): LazyLayer | null {
  return LAYER_OF.get(module) ?? null;
}
