// Unit tests of runtime/orm/changeset.ts beyond orm.md Appendix A: the §6.2 coercions at their
// edges (bounds, signs, whitespace, exponents, case) and the §6.5 constraint-error mapping.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { List } from "../../../runtime/core/list.js";
import { MeshMap } from "../../../runtime/core/map.js";
import { Atom } from "../../../runtime/core/meta.js";
import { Changeset, Changeset_, addDbError, coerce } from "../../../runtime/orm/changeset.js";

const smap = (o: Record<string, string>): MeshMap<string, string> => MeshMap.fromPairs<string, string>(Object.entries(o));
const entries = (m: MeshMap<string, string>): [string, string][] => [...(m as unknown as Iterable<[string, string]>)].map((e) => [e[0], e[1]]);
const empty = new Changeset(smap({}), smap({}), smap({}));

describe("coerce BIGINT", () => {
  it.each([
    [" +042 ", "42"],
    ["-0", "0"],
    ["\t7\n", "7"],
    ["9223372036854775807", "9223372036854775807"],
    ["-9223372036854775808", "-9223372036854775808"],
    ["000", "0"],
  ])("%j -> %j", (input, out) => expect(coerce("BIGINT", input)).toBe(out));
  it.each(["9223372036854775808", "-9223372036854775809", "", " ", "+", "1.0", "1e3", "0x10", "1 2", "١٢", "--1", "12a"])("%j is invalid", (input) =>
    expect(coerce("BIGINT", input)).toBeUndefined(),
  );
  it("any safe integer round-trips through its decimal text", () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => {
        expect(coerce("BIGINT", ` ${n} `)).toBe(String(n));
      }));
  });
});

describe("coerce DOUBLE PRECISION", () => {
  it.each([
    ["2.50", "2.5"],
    ["3.0", "3"],
    [".5", "0.5"],
    ["5.", "5"],
    ["1e3", "1000"],
    ["1E-2", "0.01"],
    [" -0.0 ", "-0"],
    ["+7", "7"],
    ["INF", "inf"],
    ["-Infinity", "-inf"],
    ["nan", "NaN"],
    ["1e400", "inf"],
  ])("%j -> %j", (input, out) => expect(coerce("DOUBLE PRECISION", input)).toBe(out));
  it.each(["", ".", "e3", "1e", "1.2.3", "0x1p3", "in", "nanx", "1,5", "- 1"])("%j is invalid", (input) =>
    expect(coerce("DOUBLE PRECISION", input)).toBeUndefined(),
  );
});

describe("coerce BOOLEAN and other types", () => {
  it.each([
    ["TRUE", "true"],
    ["t", "true"],
    ["1", "true"],
    ["Yes", "true"],
    ["F", "false"],
    ["0", "false"],
    ["NO", "false"],
  ])("%j -> %j", (input, out) => expect(coerce("BOOLEAN", input)).toBe(out));
  it.each([" true", "true ", "y", "on", "2", ""])("%j is invalid (not trimmed)", (input) => expect(coerce("BOOLEAN", input)).toBeUndefined());
  it("TEXT and unknown types keep the value untouched", () => {
    fc.assert(fc.property(fc.string(), fc.constantFrom("TEXT", "UUID", "JSONB", ""), (v, t) => {
        expect(coerce(t, v)).toBe(v);
      }));
  });
});

describe("cast_with_types", () => {
  it("splits a type entry at the first colon, the first entry for a name wins, failures leave changes", () => {
    const cs = Changeset_.cast_with_types(
      smap({}),
      smap({ a: "x", n: " 5 ", t: "1:2", b: "maybe" }),
      List.fromArray([Atom.of("n"), Atom.of("t"), Atom.of("b"), Atom.of("missing")]),
      List.fromArray(["n:BIGINT", "n:TEXT", "t:TIME:ZONE", "b:BOOLEAN"]),
    );
    expect(entries(cs.changes)).toEqual([
      ["n", "5"],
      ["t", "1:2"],
    ]);
    expect(entries(cs.errors)).toEqual([["b", "is invalid"]]);
  });
});

const dbErr = (state: string, constraint: string, table: string, column: string): string => [state, constraint, table, column, "message text"].join("\t");

describe("constraint errors (§6.5)", () => {
  it.each([
    [dbErr("23505", "users_email_key", "users", ""), "email", "has already been taken"],
    [dbErr("23505", "org_memberships_user_id_org_id_key", "org_memberships", ""), "user_id_org_id", "has already been taken"],
    [dbErr("23505", "users_pkey", "users", ""), "_base", "has already been taken"],
    [dbErr("23505", "idx_users_email", "users", ""), "_base", "has already been taken"],
    [dbErr("23505", "users__key", "users", ""), "_base", "has already been taken"],
    [dbErr("23505", "users_email_key", "", ""), "_base", "has already been taken"],
    [dbErr("23505", "users_email_idx", "users", ""), "_base", "has already been taken"],
    // the suffix is matched with its underscore: `_fkey` does not end in `_key`
    [dbErr("23505", "a_b_fkey", "a", ""), "b", "has already been taken"],
    [dbErr("23505", "a_b_key_fkey", "a", ""), "b_key", "has already been taken"],
    [dbErr("23503", "posts_user_id_fkey", "posts", ""), "user_id", "does not exist"],
    [dbErr("23503", "posts_amount_check", "posts", ""), "amount", "does not exist"],
    [dbErr("23502", "", "users", "name"), "name", "can't be blank"],
    [dbErr("23502", "", "users", ""), "_base", "can't be blank"],
    [dbErr("23514", "users_age_check", "users", "age"), "_base", "database error"],
    ["pool checkout timeout", "_base", "database error"],
    ["23505\tusers_email_key", "_base", "database error"],
  ])("%j -> %s: %s", (error, field, message) => {
    expect(entries(addDbError(empty, error).errors)).toEqual([[field, message]]);
  });

  it("keeps an earlier error of the same field (first error wins)", () => {
    const cs = new Changeset(smap({}), smap({}), smap({ email: "has invalid format" }));
    expect(entries(addDbError(cs, dbErr("23505", "users_email_key", "users", "")).errors)).toEqual([["email", "has invalid format"]]);
    expect(addDbError(cs, dbErr("23505", "users_email_key", "users", "")).valid).toBe(false);
  });
});
