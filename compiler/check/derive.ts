// Effective derives of user types (§3.9): explicit lists (E0028, E0029, E0006, E0038, E0039)
// and the conditional defaults (struct: Eq, Ord, Hash, Debug; sum type: Eq, Ord, Debug),
// computed as a greatest fixed point so recursive types get their defaults.
import type * as S from "../ast/syntax.js";
import { builtinInstance, DERIVABLE } from "./builtins.js";
import type { Ctx } from "./context.js";
import type { TypeDecl } from "./env.js";
import { prune, type Type } from "./types.js";

const STRUCT_DEFAULTS = ["Eq", "Ord", "Hash", "Debug"];
const SUM_DEFAULTS = ["Eq", "Ord", "Debug"];

function componentTypes(d: TypeDecl): Type[] {
  return d.kind === "struct" ? d.fields.map((f) => f.type) : d.variants.flatMap((v) => v.fields);
}

function hasHandImpl(cx: Ctx, iface: string, key: string): boolean {
  return (cx.impls.get(`${iface}|${key}`)?.length ?? 0) > 0;
}

// Does type `t` support interface `iface` ("Text": Display or Debug) given the current derive sets?
export function supports(cx: Ctx, iface: string, t: Type): boolean {
  t = prune(t);
  if (t.k === "var" || t.k === "err" || t.k === "never") return true;
  if (iface === "Text") return supports(cx, "Display", t) || supports(cx, "Debug", t);
  if (t.k === "con") {
    const d = cx.types.get(t.name);
    if (d && d.module !== null) {
      if (hasHandImpl(cx, iface, t.name)) return true;
      if (!d.derives.has(iface)) return false;
      const sub = iface === "Display" || iface === "Debug" ? "Text" : iface;
      return t.args.every((a) => supports(cx, sub, a));
    }
    if (hasHandImpl(cx, iface, t.name)) return true;
  }
  const r = builtinInstance(iface, t);
  if (r === false) return false;
  return r.every((q) => supports(cx, q.iface, q.type));
}

function jsonOk(cx: Ctx, t: Type): boolean {
  t = prune(t);
  if (t.k === "var" || t.k === "err") return true;
  if (t.k !== "con") return false;
  switch (t.name) {
    case "Int": case "Float": case "Bool": case "String": case "Json":
      return true;
    case "Option": case "List":
      return jsonOk(cx, t.args[0]!);
    case "Map":
      return prune(t.args[0]!).k === "con" && (prune(t.args[0]!) as { name: string }).name === "String" && jsonOk(cx, t.args[1]!);
  }
  const d = cx.types.get(t.name);
  return !!d && d.module !== null && d.derives.has("Json") && t.args.every((a) => jsonOk(cx, a));
}

function rowOk(t: Type): boolean {
  t = prune(t);
  if (t.k === "var") return true;
  if (t.k !== "con") return false;
  if (["Int", "Float", "Bool", "String"].includes(t.name)) return true;
  return t.name === "Option" && rowOk(t.args[0]!) && prune(t.args[0]!).k === "con" && (prune(t.args[0]!) as { name: string }).name !== "Option";
}

export function computeDerives(cx: Ctx, decls: readonly TypeDecl[]): void {
  const implicit: TypeDecl[] = [];
  for (const d of decls) {
    const def = d.def as S.StructDef | S.SumTypeDef;
    if (def.deriving === null) {
      for (const n of d.kind === "struct" ? STRUCT_DEFAULTS : SUM_DEFAULTS) if (!hasHandImpl(cx, n, d.qname)) d.derives.add(n);
      implicit.push(d);
      continue;
    }
    const names = def.deriving.names;
    for (const n of names) {
      if (!DERIVABLE.has(n.name)) {
        cx.error("E0028", `cannot derive \`${n.name}\`; derivable interfaces are Eq, Ord, Display, Debug, Hash, Json, Row and Schema`, n.span);
        continue;
      }
      if ((n.name === "Row" || n.name === "Schema") && d.kind !== "struct") {
        cx.error("E0028", `\`${n.name}\` can only be derived for structs`, n.span);
        continue;
      }
      if (n.name === "Schema" && d.params.length > 0) {
        cx.error("E0028", `cannot derive \`Schema\` for the generic struct \`${d.name}\` (a table has one row type)`, n.span);
        continue;
      }
      d.derives.add(n.name);
    }
    if (d.derives.has("Ord") && !d.derives.has("Eq")) {
      const o = names.find((n) => n.name === "Ord")!;
      cx.error("E0029", `deriving \`Ord\` for \`${d.name}\` requires \`Eq\` in the same deriving list`, o.span);
    }
  }
  // greatest fixed point for the implicit defaults
  let changed = true;
  while (changed) {
    changed = false;
    for (const d of implicit) {
      for (const n of [...d.derives]) {
        if (!componentTypes(d).every((t) => supports(cx, n === "Display" || n === "Debug" ? "Text" : n, t))) {
          d.derives.delete(n);
          changed = true;
        }
      }
    }
  }
  // explicit derives must be supported by every component
  for (const d of decls) {
    const def = d.def as S.StructDef | S.SumTypeDef;
    if (def.deriving === null) continue;
    for (const n of def.deriving.names) {
      if (!d.derives.has(n.name)) continue;
      const comps: { label: string; type: Type; span: S.Span }[] =
        d.kind === "struct"
          ? d.fields.map((f) => ({ label: `field \`${f.name}\``, type: f.type, span: f.span }))
          : d.variants.flatMap((v, vi) => v.fields.map((t, i) => ({ label: `payload ${i + 1} of \`${v.name}\``, type: t, span: (def as S.SumTypeDef).variants[vi]!.span })));
      for (const c of comps) {
        if (n.name === "Json") {
          if (!jsonOk(cx, c.type)) cx.error("E0038", `cannot derive \`Json\` for \`${d.name}\`: ${c.label} has type \`${cx.show(c.type)}\`, which cannot be serialised`, n.span);
        } else if (n.name === "Row") {
          if (!rowOk(c.type)) cx.error("E0039", `cannot derive \`Row\` for \`${d.name}\`: ${c.label} has type \`${cx.show(c.type)}\`, which cannot be read from a row`, n.span);
        } else if (n.name !== "Schema") {
          const need = n.name === "Display" || n.name === "Debug" ? "Text" : n.name;
          if (!supports(cx, need, c.type)) cx.error("E0006", `cannot derive \`${n.name}\` for \`${d.name}\`: ${c.label} has type \`${cx.show(c.type)}\`, which does not implement \`${n.name}\``, n.span);
        }
      }
    }
  }
}
