// The `Changeset` value (orm.md §6): casting with type coercion, validators (first error of a field
// wins, validators never short-circuit), accessors, and the mapping of database constraint errors
// used by Repo's changeset writes (§6.5). Pure.
import type { List } from "../core/list.js";
import { MeshMap, NOT_FOUND } from "../core/map.js";
import type { Atom } from "../core/meta.js";
import { floatText } from "../core/float-text.js";
import { trimWhiteSpace } from "../core/text.js";
import { atomName } from "./sql.js";

type SMap = MeshMap<string, string>;

export class Changeset {
  constructor(
    readonly data: SMap,
    readonly changes: SMap,
    readonly errors: SMap,
  ) {}

  get valid(): boolean {
    return this.errors.size === 0;
  }

  /** Adds `message` for `field` unless the field already has an error (first error wins). */
  withError(field: string, message: string): Changeset {
    return this.errors.has(field) ? this : new Changeset(this.data, this.changes, this.errors.put(field, message));
  }
}

const get = (m: SMap, k: string): string | undefined => {
  const v = m.lookup(k);
  return v === NOT_FOUND ? undefined : (v as string);
};

const EMPTY = MeshMap.empty as unknown as SMap;

function cast(data: SMap, params: SMap, allowed: List): Changeset {
  let changes = EMPTY;
  for (const a of allowed.toArray() as Atom[]) {
    const k = atomName(a);
    const v = get(params, k);
    if (v !== undefined) changes = changes.put(k, v);
  }
  return new Changeset(data, changes, EMPTY);
}

const INT_RE = /^[+-]?[0-9]+$/;
const FLOAT_RE = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** §6.2 coercions: the stored string, or undefined if the value does not coerce. */
export function coerce(type: string, v: string): string | undefined {
  switch (type) {
    case "BIGINT": {
      const t = trimWhiteSpace(v);
      if (!INT_RE.test(t)) return undefined;
      const n = BigInt(t);
      return n < I64_MIN || n > I64_MAX ? undefined : n.toString();
    }
    case "DOUBLE PRECISION": {
      const t = trimWhiteSpace(v);
      const body = t.replace(/^[+-]/, "").toLowerCase();
      const neg = t.startsWith("-");
      if (body === "inf" || body === "infinity") return floatText(neg ? -Infinity : Infinity);
      if (body === "nan") return "NaN";
      if (!FLOAT_RE.test(t)) return undefined;
      return floatText(Number(t));
    }
    case "BOOLEAN": {
      const l = v.toLowerCase();
      if (l === "true" || l === "t" || l === "1" || l === "yes") return "true";
      if (l === "false" || l === "f" || l === "0" || l === "no") return "false";
      return undefined;
    }
    default:
      return v;
  }
}

function castWithTypes(data: SMap, params: SMap, allowed: List, types: List): Changeset {
  const typeOf = new Map<string, string>();
  for (const e of types.toArray() as string[]) {
    const c = e.indexOf(":");
    if (c >= 0 && !typeOf.has(e.slice(0, c))) typeOf.set(e.slice(0, c), e.slice(c + 1));
  }
  let changes = EMPTY;
  let errors = EMPTY;
  for (const a of allowed.toArray() as Atom[]) {
    const k = atomName(a);
    const v = get(params, k);
    if (v === undefined) continue;
    const t = typeOf.get(k);
    const c = t === undefined ? v : coerce(t, v);
    if (c === undefined) {
      if (!errors.has(k)) errors = errors.put(k, "is invalid");
    } else changes = changes.put(k, c);
  }
  return new Changeset(data, changes, errors);
}

function validateRequired(cs: Changeset, fields: List): Changeset {
  let out = cs;
  for (const f of fields.toArray() as Atom[]) {
    const k = atomName(f);
    const v = get(cs.changes, k) ?? get(cs.data, k);
    if (v === undefined || v === "") out = out.withError(k, "can't be blank");
  }
  return out;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function validateLength(cs: Changeset, field: Atom, min: number, max: number): Changeset {
  const k = atomName(field);
  const v = get(cs.changes, k);
  if (v === undefined) return cs;
  const n = codePoints(v);
  if (min !== -1 && n < min) return cs.withError(k, `should be at least ${min} character(s)`);
  if (max !== -1 && n > max) return cs.withError(k, `should be at most ${max} character(s)`);
  return cs;
}

function validateFormat(cs: Changeset, field: Atom, pattern: string): Changeset {
  const k = atomName(field);
  const v = get(cs.changes, k);
  return v === undefined || v.includes(pattern) ? cs : cs.withError(k, "has invalid format");
}

function validateInclusion(cs: Changeset, field: Atom, values: List): Changeset {
  const k = atomName(field);
  const v = get(cs.changes, k);
  return v === undefined || (values.toArray() as string[]).includes(v) ? cs : cs.withError(k, "is invalid");
}

function validateNumber(cs: Changeset, field: Atom, gt: number, lt: number, gte: number, lte: number): Changeset {
  const k = atomName(field);
  const v = get(cs.changes, k);
  if (v === undefined || cs.errors.has(k)) return cs;
  const c = coerce("BIGINT", v);
  if (c === undefined) return cs.withError(k, "is not a number");
  const n = BigInt(c);
  if (gt !== -1 && !(n > BigInt(gt))) return cs.withError(k, `must be greater than ${gt}`);
  if (lt !== -1 && !(n < BigInt(lt))) return cs.withError(k, `must be less than ${lt}`);
  if (gte !== -1 && !(n >= BigInt(gte))) return cs.withError(k, `must be greater than or equal to ${gte}`);
  if (lte !== -1 && !(n <= BigInt(lte))) return cs.withError(k, `must be less than or equal to ${lte}`);
  return cs;
}

const SUFFIXES = ["_key", "_fkey", "_pkey", "_check"];

/** §6.5 field extraction from a constraint name. */
function fieldOfConstraint(constraint: string, table: string): string | null {
  if (table === "" || !constraint.startsWith(table + "_")) return null;
  const rest = constraint.slice(table.length + 1);
  for (const s of SUFFIXES) {
    if (rest.endsWith(s)) {
      const f = rest.slice(0, rest.length - s.length);
      return f === "" ? null : f;
    }
  }
  return null;
}

/** §5.6 step 5 + §6.5: a Pool/Pg error string mapped onto one (field, message) of `cs`. */
export function addDbError(cs: Changeset, error: string): Changeset {
  const parts = error.split("\t");
  // stdlib.md §28.3: SQLSTATE, constraint, table, column, message
  const [state, constraint, table, column] = parts.length === 5 ? parts : ["", "", "", ""];
  switch (state) {
    case "23505":
      return cs.withError(fieldOfConstraint(constraint!, table!) ?? "_base", "has already been taken");
    case "23503":
      return cs.withError(fieldOfConstraint(constraint!, table!) ?? "_base", "does not exist");
    case "23502":
      return cs.withError(column! !== "" ? column! : "_base", "can't be blank");
    default:
      return cs.withError("_base", "database error");
  }
}

export const Changeset_ = {
  cast,
  cast_with_types: castWithTypes,
  validate_required: validateRequired,
  validate_length: validateLength,
  validate_format: validateFormat,
  validate_inclusion: validateInclusion,
  validate_number: validateNumber,
  valid: (cs: Changeset) => cs.valid,
  errors: (cs: Changeset) => cs.errors,
  changes: (cs: Changeset) => cs.changes,
  get_change: (cs: Changeset, f: Atom) => get(cs.changes, atomName(f)) ?? "",
  get_error: (cs: Changeset, f: Atom) => get(cs.errors, atomName(f)) ?? "",
};
