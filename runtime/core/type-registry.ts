// The receiving node's own struct and sum-type definitions by wire name (concurrency.md §7.5), so
// the distribution codec rebuilds received values as instances of this program's generated
// classes. Generated code registers every type at module load (`typeMeta` records it by qualified
// name; the class list is assigned to `meta.ctors`); Option/Result/Ordering are pre-registered.
import { typesByQname, typeMeta, variantMeta, type TypeMeta } from "./meta.js";
import { OptionType, ResultType, OrderingType, Some, None, Ok, Err, Less, Equal, Greater } from "./builtin-types.js";

(OptionType as { ctors?: unknown[] }).ctors = [Some, None];
(ResultType as { ctors?: unknown[] }).ctors = [Ok, Err];
(OrderingType as { ctors?: unknown[] }).ctors = [Less, Equal, Greater];

const MAIN_PREFIX = "Main.";

/** The name a type travels under: qualified, except items of main.mpl (module `Main`) unqualified. */
export function wireTypeName(t: TypeMeta): string {
  const q = t.qname;
  return q.startsWith(MAIN_PREFIX) && q.indexOf(".", MAIN_PREFIX.length) < 0 ? q.slice(MAIN_PREFIX.length) : q;
}

/** This node's type for a received wire name, or undefined. */
export function lookupWireType(name: string): TypeMeta | undefined {
  if (name.indexOf(".") < 0) return typesByQname.get(MAIN_PREFIX + name) ?? typesByQname.get(name);
  // "Main.X" on the wire is not a main.mpl item (those travel unqualified).
  return name.startsWith(MAIN_PREFIX) && name.indexOf(".", MAIN_PREFIX.length) < 0 ? undefined : typesByQname.get(name);
}

/** Builds a struct from its field values in declaration order. */
export function makeStruct(t: TypeMeta, vals: unknown[]): unknown {
  const C = t.ctors?.[0];
  if (typeof C === "function") return Reflect.construct(C, vals);
  // A type registered without a class (not generated code): a plain object carrying the meta.
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, "$t", { value: t });
  for (let i = 0; i < t.fields.length; i++) o[t.fields[i]] = vals[i];
  return o;
}

/** Builds variant `tag` of sum type t from its payload. */
export function makeVariant(t: TypeMeta, tag: number, vals: unknown[]): unknown {
  const C = t.ctors?.[tag];
  if (typeof C === "function") return Reflect.construct(C, vals);
  if (C !== undefined) return C; // nullary singleton
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, "$v", { value: t.variants[tag] });
  for (let i = 0; i < vals.length; i++) o["_" + i] = vals[i];
  return o;
}

/**
 * Defines a type the way generated code does (tests, embedders): a struct with `fields`, or a sum
 * type with `variants` ([name, arity] in declaration order). Returns the meta and the
 * constructors (`new ctors[0](...fields)` for a struct; per variant a class or nullary instance).
 */
export function defineType(
  qname: string,
  def: { fields: readonly string[] } | { variants: readonly (readonly [string, number])[] },
): { meta: TypeMeta; ctors: unknown[] } {
  const base = qname.slice(qname.lastIndexOf(".") + 1);
  if ("fields" in def) {
    const meta = typeMeta("struct", base, qname, def.fields, ["Eq", "Debug"]);
    const fields = def.fields;
    const C = function (this: Record<string, unknown>, ...vals: unknown[]) {
      for (let i = 0; i < fields.length; i++) this[fields[i]] = vals[i];
    } as unknown as new (...a: unknown[]) => unknown;
    Object.defineProperty(C, "name", { value: base });
    Object.defineProperty(C.prototype, "$t", { value: meta });
    meta.ctors = [C];
    return { meta, ctors: [C] };
  }
  const meta = typeMeta("sum", base, qname, [], ["Eq", "Debug"]);
  const ctors: unknown[] = [];
  for (const [name, arity] of def.variants) {
    const v = variantMeta(meta, name, arity);
    const C = function (this: Record<string, unknown>, ...vals: unknown[]) {
      for (let i = 0; i < arity; i++) this["_" + i] = vals[i];
    } as unknown as new (...a: unknown[]) => unknown;
    Object.defineProperty(C, "name", { value: name });
    Object.defineProperty(C.prototype, "$v", { value: v });
    ctors.push(arity === 0 ? new C() : C);
  }
  meta.ctors = ctors;
  return { meta, ctors };
}
