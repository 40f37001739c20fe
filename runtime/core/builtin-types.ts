// Built-in sum types Option, Result and Ordering, represented exactly like user sum types
// (see meta.ts) so that pattern matching, equality and text need no special cases.
import { typeMeta, variantMeta, type TypeMeta, type VariantMeta } from "./meta.js";

export const OptionType: TypeMeta = typeMeta("sum", "Option", "Option", [], ["Eq", "Debug"]);
export const SomeV: VariantMeta = variantMeta(OptionType, "Some", 1);
export const NoneV: VariantMeta = variantMeta(OptionType, "None", 0);
// Tag order follows the spec's declaration order: Option = Some(T) | None.

export class Some<T = unknown> {
  declare readonly $v: VariantMeta;
  constructor(readonly _0: T) {}
}
Object.defineProperty(Some.prototype, "$v", { value: SomeV });

class NoneClass {
  declare readonly $v: VariantMeta;
}
Object.defineProperty(NoneClass.prototype, "$v", { value: NoneV });
export const None = new NoneClass();

export const ResultType: TypeMeta = typeMeta("sum", "Result", "Result", [], ["Eq", "Debug"]);
export const OkV: VariantMeta = variantMeta(ResultType, "Ok", 1);
export const ErrV: VariantMeta = variantMeta(ResultType, "Err", 1);

export class Ok<T = unknown> {
  declare readonly $v: VariantMeta;
  constructor(readonly _0: T) {}
}
Object.defineProperty(Ok.prototype, "$v", { value: OkV });

export class Err<E = unknown> {
  declare readonly $v: VariantMeta;
  constructor(readonly _0: E) {}
}
Object.defineProperty(Err.prototype, "$v", { value: ErrV });

export const OrderingType: TypeMeta = typeMeta("sum", "Ordering", "Ordering", [], ["Eq", "Ord", "Debug", "Display"]);
export const LessV = variantMeta(OrderingType, "Less", 0);
export const EqualV = variantMeta(OrderingType, "Equal", 0);
export const GreaterV = variantMeta(OrderingType, "Greater", 0);

class OrderingClass {
  constructor(readonly $v: VariantMeta) {}
}
export const Less = new OrderingClass(LessV);
export const Equal = new OrderingClass(EqualV);
export const Greater = new OrderingClass(GreaterV);

export type Option<T> = Some<T> | typeof None;
export type Result<T, E> = Ok<T> | Err<E>;

export function some<T>(x: T): Some<T> {
  return new Some(x);
}
export function ok<T>(x: T): Ok<T> {
  return new Ok(x);
}
export function err<E>(e: E): Err<E> {
  return new Err(e);
}
export function isSome(v: unknown): v is Some {
  return v instanceof Some;
}
export function isOk(v: unknown): v is Ok {
  return v instanceof Ok;
}
