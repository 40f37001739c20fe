// Repo.preload (orm.md §5.7): loads associations named by `__relationship_meta__` entries, one
// query per association level, and attaches them to each row as JSON text (this project's
// representation: a row map cannot hold lists or rows). Nested paths (`posts.comments`) load
// on the rows attached under their parent in the same call.
import { Err, Ok, type Result } from "../core/builtin-types.js";
import { List } from "../core/list.js";
import { MeshMap, NOT_FOUND } from "../core/map.js";
import { encodeNode, type JsonNode } from "../core/json.js";
import { qi } from "./sql.js";

type Row = MeshMap<string, string>;
type Gen<T> = Generator<unknown, T, unknown>;
export type RunQuery = (sql: string, params: readonly string[]) => Gen<Result<List<Row>, string>>;

interface Meta {
  readonly kind: string;
  readonly fk: string;
  readonly table: string;
}

/** A row being preloaded: its columns plus the associations attached in this call. */
interface Node {
  readonly row: Row;
  readonly assoc: Map<string, Node[] | Node | null>;
}

function col(row: Row, k: string): string | undefined {
  const v = row.lookup(k);
  return v === NOT_FOUND ? undefined : (v as string);
}

/** `name:…` split into at most 5 parts at `:` (the fifth keeps any further colons). */
function parseMeta(entries: readonly string[]): Map<string, Meta> {
  const idx = new Map<string, Meta>();
  for (const e of entries) {
    const parts: string[] = [];
    let rest = e;
    while (parts.length < 4) {
      const c = rest.indexOf(":");
      if (c < 0) break;
      parts.push(rest.slice(0, c));
      rest = rest.slice(c + 1);
    }
    if (parts.length < 4) continue;
    idx.set(parts[1]!, { kind: parts[0]!, fk: parts[3]!, table: rest });
  }
  return idx;
}

function toJson(v: Node[] | Node | null): JsonNode {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(rowJson);
  return rowJson(v);
}

function rowJson(n: Node): JsonNode {
  const o: Record<string, JsonNode> = {};
  n.row.forEachPair((k, v) => {
    o[k as string] = v as string;
  });
  for (const [a, v] of n.assoc) o[a] = toJson(v);
  return o;
}

export function* preload(run: RunQuery, rows: List<Row>, assocs: List<string>, metaList: List<string>): Gen<Result<List<Row>, string>> {
  if (rows.length === 0) return new Ok(List.fromArray([]));
  const meta = parseMeta(metaList.toArray());
  const dots = (s: string) => s.split(".").length - 1;
  const paths = assocs.toArray().map((p, i) => ({ p, i })).sort((a, b) => dots(a.p) - dots(b.p) || a.i - b.i);
  const top: Node[] = rows.toArray().map((row) => ({ row, assoc: new Map() }));
  for (const { p } of paths) {
    const err = yield* loadPath(run, meta, top, p);
    if (err !== null) return new Err(err);
  }
  return new Ok(
    List.fromArray(
      top.map((n) => {
        let row = n.row;
        for (const [a, v] of n.assoc) row = row.put(a, encodeNode(toJson(v)));
        return row;
      }),
    ),
  );
}

function* loadPath(run: RunQuery, meta: Map<string, Meta>, nodes: Node[], path: string): Gen<string | null> {
  for (;;) {
    const dot = path.indexOf(".");
    if (dot < 0) return yield* loadDirect(run, meta, nodes, path);
    const a = path.slice(0, dot);
    if (!meta.has(a)) return `Repo.preload: unknown parent association '${a}' in nested path`;
    const children: Node[] = [];
    for (const n of nodes) {
      const v = n.assoc.get(a);
      if (Array.isArray(v)) children.push(...v);
      else if (v !== undefined && v !== null) children.push(v);
    }
    if (children.length === 0) return null;
    nodes = children;
    path = path.slice(dot + 1);
  }
}

function* loadDirect(run: RunQuery, meta: Map<string, Meta>, nodes: Node[], a: string): Gen<string | null> {
  const m = meta.get(a);
  if (m === undefined) return `Repo.preload: unknown association '${a}' -- check that the relationship metadata includes this association`;
  let parentKey: string;
  let matchKey: string;
  if (m.kind === "has_many" || m.kind === "has_one") [parentKey, matchKey] = ["id", m.fk];
  else if (m.kind === "belongs_to") [parentKey, matchKey] = [m.fk, "id"];
  else return `Repo.preload: unknown relationship kind '${m.kind}'`;
  const many = m.kind === "has_many";
  const values: string[] = [];
  const seen = new Set<string>();
  for (const n of nodes) {
    const v = col(n.row, parentKey);
    if (v === undefined || v === "" || seen.has(v)) continue;
    seen.add(v);
    values.push(v);
  }
  const groups = new Map<string, Node[]>();
  if (values.length > 0) {
    const marks = values.map((_, i) => `$${i + 1}`).join(", ");
    const r = yield* run(`SELECT * FROM ${qi(m.table)} WHERE ${qi(matchKey)} IN (${marks})`, values);
    if (r instanceof Err) return (r as Err<string>)._0;
    for (const row of (r as Ok<List<Row>>)._0.toArray()) {
      const k = col(row, matchKey) ?? "";
      let g = groups.get(k);
      if (g === undefined) groups.set(k, (g = []));
      g.push({ row, assoc: new Map() });
    }
  }
  for (const n of nodes) {
    const k = col(n.row, parentKey);
    const g = k === undefined ? undefined : groups.get(k);
    n.assoc.set(a, many ? (g ?? []) : (g?.[0] ?? null));
  }
  return null;
}
