// Test helpers: user-defined struct and sum types built the way generated code builds them
// (a class per struct / per variant whose prototype carries `$t` / `$v`).
import { registerImpl, typeMeta, variantMeta, type TypeMeta, type VariantMeta } from "../../../runtime/core/meta.js";
import { registerMaker, type JsonType } from "../../../runtime/core/json.js";

export interface StructType {
  meta: TypeMeta;
  make: (...vals: unknown[]) => Record<string, unknown>;
}

export function defStruct(name: string, fields: string[], derives: string[] = ["Eq", "Ord", "Hash", "Debug"], fieldTypes?: JsonType[]): StructType {
  const meta = typeMeta("struct", name, "Main." + name, fields, derives);
  if (fieldTypes) meta.fieldTypes = fieldTypes;
  class S {
    constructor(...vals: unknown[]) {
      fields.forEach((f, i) => ((this as Record<string, unknown>)[f] = vals[i]));
    }
  }
  Object.defineProperty(S.prototype, "$t", { value: meta });
  const make = (...vals: unknown[]) => new S(...vals) as unknown as Record<string, unknown>;
  registerMaker(meta, make);
  return { meta, make };
}

export interface SumType {
  meta: TypeMeta;
  v: Record<string, VariantMeta>;
  mk: Record<string, (...payload: unknown[]) => unknown>;
}

export function defSum(name: string, variants: [string, number][], derives: string[] = ["Eq", "Ord", "Debug"], payloadTypes?: JsonType[][]): SumType {
  const meta = typeMeta("sum", name, "Main." + name, [], derives);
  if (payloadTypes) meta.fieldTypes = payloadTypes;
  const v: Record<string, VariantMeta> = {};
  const mk: Record<string, (...p: unknown[]) => unknown> = {};
  for (const [vn, arity] of variants) {
    const vm = variantMeta(meta, vn, arity);
    v[vn] = vm;
    class C {
      constructor(...p: unknown[]) {
        p.forEach((x, i) => ((this as Record<string, unknown>)["_" + i] = x));
      }
    }
    Object.defineProperty(C.prototype, "$v", { value: vm });
    if (arity === 0) {
      const single = new C();
      mk[vn] = () => single;
    } else mk[vn] = (...p: unknown[]) => new C(...p);
    registerMaker(vm, mk[vn]);
  }
  return { meta, v, mk };
}

export { registerImpl };
