// Runtime representation of user-defined and built-in nominal types (structs and sum types).
// Shared contract between generated code (which defines a JS class per struct / per variant) and
// the value layer (equality, ordering, text, hashing, JSON), which reads `$t` / `$v` metadata.
//
// Value representation overview (see docs/values.md):
//   Int, Float -> number      Bool -> boolean     String -> string     () -> undefined
//   Atom -> Atom (interned)   tuple -> JS Array   List/Map/Set/Range -> classes in runtime/core
//   struct -> instance of a generated class whose prototype has `$t: TypeMeta`; fields are
//             ordinary properties named as in the source
//   variant -> instance of a generated class per variant whose prototype has `$v: VariantMeta`;
//             payloads in properties `_0`, `_1`, ...; nullary variants are singletons
//   function -> JS function (generator function when it may suspend)

import { plainOf } from "./sync-call.js";

export type MethodTable = Record<string, Function>;

export interface TypeMeta {
  readonly kind: "struct" | "sum";
  readonly name: string; // base name as printed: "Point"
  readonly qname: string; // qualified: "Main.Point", "Option"
  readonly fields: readonly string[]; // struct fields in declaration order ([] for sum types)
  readonly variants: VariantMeta[]; // sum-type variants in declaration order ([] for structs)
  // interface name -> methods. Hand-written impls and derived impls both register here at module
  // load time; `derives` lists the interfaces whose behaviour is the generic derived one.
  readonly impls: Record<string, MethodTable>;
  readonly derives: Set<string>;
  // derived JSON/Row need field types; generated code fills this in when the type derives Json/Row.
  fieldTypes?: readonly unknown[];
  // How the distribution codec rebuilds values (runtime/core/type-registry.ts): generated code
  // sets the struct class, or per variant (declaration order) its class or nullary singleton.
  ctors?: readonly unknown[];
}

export interface VariantMeta {
  readonly name: string;
  readonly tag: number; // declaration index
  readonly arity: number;
  readonly type: TypeMeta;
}

/** Every type defined in this program by qualified name (the last definition wins). */
export const typesByQname = new Map<string, TypeMeta>();

export function typeMeta(kind: "struct" | "sum", name: string, qname: string, fields: readonly string[] = [], derives: readonly string[] = []): TypeMeta {
  const t: TypeMeta = { kind, name, qname, fields, variants: [], impls: Object.create(null), derives: new Set(derives) };
  typesByQname.set(qname, t);
  return t;
}

export function variantMeta(type: TypeMeta, name: string, arity: number): VariantMeta {
  const v: VariantMeta = { name, tag: type.variants.length, arity, type };
  type.variants.push(v);
  return v;
}

export function registerImpl(type: TypeMeta, iface: string, methods: MethodTable): void {
  type.impls[iface] = Object.assign(type.impls[iface] ?? Object.create(null), plainMethods(methods));
}

/** The value layer calls table methods without `yield*`: generator ones are run to completion. */
export function plainMethods(methods: MethodTable): MethodTable {
  const out: MethodTable = Object.create(null);
  for (const k in methods) out[k] = plainOf(methods[k]!);
  return out;
}

// Accessors used by the value layer.
export function structMetaOf(v: unknown): TypeMeta | undefined {
  return v !== null && typeof v === "object" ? (v as { $t?: TypeMeta }).$t : undefined;
}

export function variantMetaOf(v: unknown): VariantMeta | undefined {
  return v !== null && typeof v === "object" ? (v as { $v?: VariantMeta }).$v : undefined;
}

// Atoms are interned so that equality is identity.
export class Atom {
  private static readonly table = new Map<string, Atom>();
  private constructor(readonly name: string) {}
  static of(name: string): Atom {
    let a = Atom.table.get(name);
    if (!a) {
      a = new Atom(name);
      Atom.table.set(name, a);
    }
    return a;
  }
  /** The atom if already interned (network decoding must not grow the table without bound). */
  static existing(name: string): Atom | undefined {
    return Atom.table.get(name);
  }
  toString(): string {
    return this.name;
  }
}
