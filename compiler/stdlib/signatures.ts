// The one declaration of every standard-library function's type (stdlib.md, concurrency.md §2.7,
// §5, §6), read by the type checker as data and by codegen to know which calls suspend. The
// runtime implementation of the non-deferred entries is runtime/stdlib/index.ts (a test checks
// that the two agree).
//
// Type strings use Mesh type syntax (parse-sig.ts parses them):
//   `<T, U: Ord, K: Hash + Eq>(P1, P2) -> R`   generic parameters with optional interface bounds
//   `T?` = Option<T>, `T!E` = Result<T, E>, `()` unit, `(A, B)` tuples, `Fun(A, B) -> R`
//   a bare type (no parameter list) declares a constant: `Math.pi` is `Float`
//   `...` as the last parameter: variadic (`Node.spawn(node, f, args...)`)
//   tuple rest forms (Tuple module): `(A, ...)` a tuple of at least one element whose first is A;
//   `(...T)` a tuple of any arity whose elements are all T; `(...)` any tuple.
// Bounds name interfaces (language.md §3.10) or the pseudo-interfaces of LIB_BOUNDS.

import { FLAT_NAMES } from "../../common/facts.js";

export interface LibSig {
  readonly module: string | null; // null: prelude (no module prefix)
  readonly name: string;
  readonly type: string;
  readonly suspends?: boolean; // [S]: calls are suspension points (stdlib.md §31)
  /**
   * An argument the compiler supplies after the written ones, because the runtime cannot see
   * static types:
   * - "zero": the zero value of the call's (instantiated) result type when it has one (Int and
   *   Float `0`, String `""`, Bool `false`, List `[]`, Map `%{}`); nothing otherwise. Used by
   *   `Map.get` (missing key) and `default()`.
   * - "json": the JSON type descriptor (runtime/core/json.ts `JsonType`) of the first argument's
   *   static type. Used by `Json.encode` (an integral Float must encode as `2.0`, an Int as `2`).
   */
  readonly hidden?: "zero" | "json";
  /**
   * The function stores or spawns its function arguments instead of calling them during the call
   * (`Timer.apply_after`, `Job.async`, HTTP routes, WebSocket callbacks): a suspending callback
   * does not make the call suspend and no `$g` variant exists. Every other function with a
   * `Fun` parameter calls it during the call (facts.ts).
   */
  readonly keeps?: boolean;
  /**
   * Set when another part of the runtime implements the function (not runtime/stdlib):
   * "sched" (Timer/Process/Job), "dist" (Node/Global), "web" (HTTP/Request/Ws), "db" (Pg/Pool/Sqlite),
   * "orm" (Query/Orm/Repo/Changeset/Migration: runtime/orm).
   */
  readonly owner?: "sched" | "dist" | "web" | "db" | "orm";
}

// Module name aliases accepted in source (stdlib.md §0).
export const MODULE_ALIASES: Readonly<Record<string, string>> = { JSON: "Json", Http: "HTTP" };

export interface LibType {
  readonly name: string;
  readonly arity: number;
  /** May cross nodes (concurrency.md §6.10). */
  readonly sendable: boolean;
}

/** Opaque library types named in signatures (built-in language types such as List are not listed). */
export const LIB_TYPES: readonly LibType[] = [
  { name: "Iter", arity: 1, sendable: false },
  { name: "Queue", arity: 1, sendable: true },
  { name: "Range", arity: 0, sendable: true },
  { name: "Json", arity: 0, sendable: true },
  { name: "Router", arity: 0, sendable: false },
  { name: "Request", arity: 0, sendable: false },
  { name: "Response", arity: 0, sendable: false },
  { name: "PgConn", arity: 0, sendable: false },
  { name: "PoolHandle", arity: 0, sendable: false },
  { name: "SqliteConn", arity: 0, sendable: false },
  { name: "Query", arity: 0, sendable: false },
  { name: "Changeset", arity: 0, sendable: false },
  { name: "Subject", arity: 1, sendable: false },
  { name: "Listener", arity: 0, sendable: false },
];

/**
 * Pseudo-interfaces used as bounds in LIB. `types` is the closed set of (head) types that
 * satisfy them; `rule` says how compound types qualify.
 */
export const LIB_BOUNDS: Readonly<Record<string, { readonly types: readonly string[]; readonly rule: string }>> = {
  Num: { types: ["Int", "Float"], rule: "Int or Float only" },
  Prim: { types: ["Int", "Float", "Bool", "String"], rule: "the four primitive types only (String.from)" },
  ToJson: {
    types: ["Int", "Float", "Bool", "String", "Json", "()", "List", "Set", "Option", "Map", "tuple"],
    rule:
      "Int, Float, Bool, String, Json, (); List<T>, Set<T>, Option<T> and tuples whose components are ToJson; " +
      "Map<K, V> with V: ToJson and K: Display; user types deriving Json (stdlib.md §13.1)",
  },
};

const P = (name: string, type: string, extra: Partial<LibSig> = {}): LibSig => ({ module: null, name, type, ...extra });
const F = (module: string) => (name: string, type: string, extra: Partial<LibSig> = {}): LibSig => ({ module, name, type, ...extra });
const S = { suspends: true } as const;
const K = { keeps: true } as const;

const io = F("IO");
const str = F("String");
const int = F("Int");
const flt = F("Float");
const math = F("Math");
const list = F("List");
const map = F("Map");
const set = F("Set");
const queue = F("Queue");
const range = F("Range");
const tuple = F("Tuple");
const iter = F("Iter");
const json = F("Json");
const env = F("Env");
const file = F("File");
const system = F("System");
const query = F("Query");
const orm = F("Orm");
const repo = F("Repo");
const changeset = F("Changeset");
const migration = F("Migration");
const ormOwner = { owner: "orm" } as const;
const crypto = F("Crypto");
const random = F("Random");
const time = F("Time");
const datetime = F("DateTime");
const timer = F("Timer");
const proc = F("Process");
const job = F("Job");
const subject = F("Subject");
const node = F("Node");
const global = F("Global");
const http = F("HTTP");
const req = F("Request");
const ws = F("Ws");
const pg = F("Pg");
const pool = F("Pool");
const sqlite = F("Sqlite");

const sched = { owner: "sched" } as const;
const dist = { owner: "dist" } as const;
const web = { owner: "web" } as const;
const db = { owner: "db" } as const;

const HANDLER = "Fun(Request) -> Response";
const MIDDLEWARE = "Fun(Request, Fun(Request) -> Response) -> Response";
const ROWS = "List<Map<String, String>>";

const BASE: readonly LibSig[] = [
  // ---- prelude (stdlib.md §1)
  P("println", "(String) -> ()"),
  P("print", "(String) -> ()"),
  P("eprintln", "(String) -> ()"),
  P("panic", "<T>(String) -> T"),
  P("map", "<T, U>(List<T>, Fun(T) -> U) -> List<U>"),
  P("filter", "<T>(List<T>, Fun(T) -> Bool) -> List<T>"),
  P("reduce", "<T, U>(List<T>, U, Fun(U, T) -> U) -> U"),
  P("head", "<T>(List<T>) -> T"),
  P("tail", "<T>(List<T>) -> List<T>"),
  P("compare", "<T: Ord>(T, T) -> Ordering"),
  P("default", "<T: Default>() -> T", { hidden: "zero" }),

  // ---- IO (§2)
  io("read_line", "() -> String!String", S),
  io("eprintln", "(String) -> ()"),

  // ---- String (§3)
  str("length", "(String) -> Int"),
  str("slice", "(String, Int, Int) -> String"),
  str("contains", "(String, String) -> Bool"),
  str("starts_with", "(String, String) -> Bool"),
  str("ends_with", "(String, String) -> Bool"),
  str("trim", "(String) -> String"),
  str("to_upper", "(String) -> String"),
  str("to_lower", "(String) -> String"),
  str("replace", "(String, String, String) -> String"),
  str("split", "(String, String) -> List<String>"),
  str("join", "(List<String>, String) -> String"),
  str("to_int", "(String) -> Int?"),
  str("to_float", "(String) -> Float?"),
  str("from", "<T: Prim>(T) -> String"),
  str("collect", "(Iter<String>) -> String"),

  // ---- Int, Float, Math (§4); Bool has no functions
  int("to_float", "(Int) -> Float"),
  flt("from", "(Int) -> Float"),
  flt("to_int", "(Float) -> Int"),
  math("abs", "<T: Num>(T) -> T"),
  math("min", "<T: Num>(T, T) -> T"),
  math("max", "<T: Num>(T, T) -> T"),
  math("pi", "Float"),
  math("pow", "(Float, Float) -> Float"),
  math("sqrt", "(Float) -> Float"),
  math("floor", "(Float) -> Int"),
  math("ceil", "(Float) -> Int"),
  math("round", "(Float) -> Int"),

  // ---- List (§5)
  list("new", "<T>() -> List<T>"),
  list("length", "<T>(List<T>) -> Int"),
  list("append", "<T>(List<T>, T) -> List<T>"),
  list("head", "<T>(List<T>) -> T"),
  list("tail", "<T>(List<T>) -> List<T>"),
  list("last", "<T>(List<T>) -> T"),
  list("get", "<T>(List<T>, Int) -> T"),
  list("nth", "<T>(List<T>, Int) -> T"),
  list("concat", "<T>(List<T>, List<T>) -> List<T>"),
  list("reverse", "<T>(List<T>) -> List<T>"),
  list("map", "<T, U>(List<T>, Fun(T) -> U) -> List<U>"),
  list("filter", "<T>(List<T>, Fun(T) -> Bool) -> List<T>"),
  list("reduce", "<T, U>(List<T>, U, Fun(U, T) -> U) -> U"),
  list("sort", "<T>(List<T>, Fun(T, T) -> Int) -> List<T>"),
  list("find", "<T>(List<T>, Fun(T) -> Bool) -> T?"),
  list("any", "<T>(List<T>, Fun(T) -> Bool) -> Bool"),
  list("all", "<T>(List<T>, Fun(T) -> Bool) -> Bool"),
  list("contains", "<T: Eq>(List<T>, T) -> Bool"),
  list("zip", "<T, U>(List<T>, List<U>) -> List<(T, U)>"),
  list("flat_map", "<T, U>(List<T>, Fun(T) -> List<U>) -> List<U>"),
  list("flatten", "<T>(List<List<T>>) -> List<T>"),
  list("enumerate", "<T>(List<T>) -> List<(Int, T)>"),
  list("take", "<T>(List<T>, Int) -> List<T>"),
  list("drop", "<T>(List<T>, Int) -> List<T>"),
  list("collect", "<T>(Iter<T>) -> List<T>"),

  // ---- Map (§6)
  map("new", "<K, V>() -> Map<K, V>"),
  map("put", "<K: Eq, V>(Map<K, V>, K, V) -> Map<K, V>"),
  map("get", "<K: Eq, V>(Map<K, V>, K) -> V", { hidden: "zero" }),
  map("has_key", "<K: Eq, V>(Map<K, V>, K) -> Bool"),
  map("delete", "<K: Eq, V>(Map<K, V>, K) -> Map<K, V>"),
  map("size", "<K, V>(Map<K, V>) -> Int"),
  map("keys", "<K, V>(Map<K, V>) -> List<K>"),
  map("values", "<K, V>(Map<K, V>) -> List<V>"),
  map("merge", "<K: Eq, V>(Map<K, V>, Map<K, V>) -> Map<K, V>"),
  map("to_list", "<K, V>(Map<K, V>) -> List<(K, V)>"),
  map("from_list", "<K: Eq, V>(List<(K, V)>) -> Map<K, V>"),
  map("collect", "<K: Eq, V>(Iter<(K, V)>) -> Map<K, V>"),

  // ---- Set (§7)
  set("new", "<T>() -> Set<T>"),
  set("add", "<T: Eq>(Set<T>, T) -> Set<T>"),
  set("remove", "<T: Eq>(Set<T>, T) -> Set<T>"),
  set("contains", "<T: Eq>(Set<T>, T) -> Bool"),
  set("size", "<T>(Set<T>) -> Int"),
  set("union", "<T: Eq>(Set<T>, Set<T>) -> Set<T>"),
  set("intersection", "<T: Eq>(Set<T>, Set<T>) -> Set<T>"),
  set("difference", "<T: Eq>(Set<T>, Set<T>) -> Set<T>"),
  set("to_list", "<T>(Set<T>) -> List<T>"),
  set("from_list", "<T: Eq>(List<T>) -> Set<T>"),
  set("collect", "<T: Eq>(Iter<T>) -> Set<T>"),

  // ---- Queue (§8)
  queue("new", "<T>() -> Queue<T>"),
  queue("push", "<T>(Queue<T>, T) -> Queue<T>"),
  queue("pop", "<T>(Queue<T>) -> (T, Queue<T>)"),
  queue("peek", "<T>(Queue<T>) -> T"),
  queue("size", "<T>(Queue<T>) -> Int"),
  queue("is_empty", "<T>(Queue<T>) -> Bool"),

  // ---- Range (§9); map generalised from Fun(Int) -> Int to Fun(Int) -> U
  range("new", "(Int, Int) -> Range"),
  range("to_list", "(Range) -> List<Int>"),
  range("map", "<U>(Range, Fun(Int) -> U) -> List<U>"),
  range("filter", "(Range, Fun(Int) -> Bool) -> List<Int>"),
  range("length", "(Range) -> Int"),

  // ---- Tuple (§10)
  tuple("first", "<A>((A, ...)) -> A"),
  tuple("second", "<A, B>((A, B, ...)) -> B"),
  tuple("nth", "<T>((...T), Int) -> T"),
  tuple("size", "((...)) -> Int"),

  // ---- Iter (§11)
  iter("from", "<T>(List<T>) -> Iter<T>"),
  iter("map", "<T, U>(Iter<T>, Fun(T) -> U) -> Iter<U>"),
  iter("filter", "<T>(Iter<T>, Fun(T) -> Bool) -> Iter<T>"),
  iter("take", "<T>(Iter<T>, Int) -> Iter<T>"),
  iter("skip", "<T>(Iter<T>, Int) -> Iter<T>"),
  iter("enumerate", "<T>(Iter<T>) -> Iter<(Int, T)>"),
  iter("zip", "<T, U>(Iter<T>, Iter<U>) -> Iter<(T, U)>"),
  iter("count", "<T>(Iter<T>) -> Int"),
  iter("sum", "(Iter<Int>) -> Int"),
  iter("any", "<T>(Iter<T>, Fun(T) -> Bool) -> Bool"),
  iter("all", "<T>(Iter<T>, Fun(T) -> Bool) -> Bool"),
  iter("find", "<T>(Iter<T>, Fun(T) -> Bool) -> T?"),
  iter("reduce", "<T, U>(Iter<T>, U, Fun(U, T) -> U) -> U"),

  // ---- Json (§13); Option and Result have no functions (§12)
  json("parse", "(String) -> Json!String"),
  json("encode", "<T: ToJson>(T) -> String", { hidden: "json" }),
  json("encode_string", "(String) -> String"),
  json("encode_int", "(Int) -> String"),
  json("encode_bool", "(Bool) -> String"),
  json("encode_map", "(Map<String, String>) -> String"),
  json("encode_list", "(List<String>) -> String"),
  json("get", "(String, String) -> String"),
  json("get_nested", "(String, String, String) -> String"),
  json("kind", "(Json) -> String"),
  json("field", "(Json, String) -> Json?"),
  json("items", "(Json) -> List<Json>"),
  json("entries", "(Json) -> List<(String, Json)>"),
  json("as_string", "(Json) -> String?"),
  json("as_int", "(Json) -> Int?"),
  json("as_float", "(Json) -> Float?"),
  json("as_bool", "(Json) -> Bool?"),

  // ---- Env, File (§14, §15)
  env("get", "(String) -> String?"),
  file("read", "(String) -> String!String"),
  file("write", "(String, String) -> Result<(), String>"),
  file("append", "(String, String) -> Result<(), String>"),
  file("sync", "(String) -> Result<(), String>", S),
  file("append_durable", "(String, String) -> Result<(), String>", S),
  file("exists", "(String) -> Bool"),
  file("delete", "(String) -> Result<(), String>"),
  file("mkdir_p", "(String) -> Result<(), String>"),
  file("list_dir", "(String) -> List<String>!String"),
  file("rename", "(String, String) -> Result<(), String>"),

  // ---- System (not in stdlib.md; docs/decisions.md "System module")
  system("exit", "<T>(Int) -> T"),
  system("on_signal", "(String, Fun() -> ()) -> Int", K),

  // ---- Crypto, Random, Time, DateTime (§24)
  crypto("uuid4", "() -> String"),
  crypto("sha256", "(String) -> String"),
  crypto("random_hex", "(Int) -> String"),
  random("int", "(Int, Int) -> Int"),
  time("now_ms", "() -> Int"),
  time("monotonic_ms", "() -> Int"),
  datetime("utc_now", "() -> String"),

  // ---- Timer, Process, Job (§16; concurrency.md §2.7, §5): runtime/sched
  timer("sleep", "(Int) -> ()", { ...S, ...sched }),
  timer("send_after", "<T>(Pid<T>, Int, T) -> ()", sched),
  timer("apply_after", "<T>(Int, Fun() -> T) -> ()", { ...K, ...sched }),
  proc("self", "() -> Pid", sched),
  proc("register", "(String, Pid) -> Int", sched),
  proc("whereis", "(String) -> Pid", sched),
  proc("lookup", "(String) -> Pid?", sched),
  proc("unregister", "(String) -> Int", sched),
  proc("monitor", "(Pid) -> Int", sched),
  proc("demonitor", "(Int) -> Int", sched),
  proc("link", "(Pid) -> ()", sched),
  proc("unlink", "(Pid) -> ()", sched),
  proc("exit", "(Pid, String) -> ()", sched),
  proc("trap_exit", "(Bool) -> Bool", sched),
  proc("is_alive", "(Pid) -> Bool", sched),
  job("async", "<T>(Fun() -> T) -> Pid<T>", { ...K, ...sched }),
  job("await", "<T>(Pid<T>) -> T!String", { ...S, ...sched }),
  job("await_timeout", "<T>(Pid<T>, Int) -> T!String", { ...S, ...sched }),
  job("map", "<A, B>(List<A>, Fun(A) -> B) -> List<B!String>", { ...S, ...sched }),
  subject("new", "<T>() -> Subject<T>", sched),
  subject("send", "<T>(Subject<T>, T) -> ()", sched),
  subject("await", "<T>(Subject<T>, Int) -> T!String", { ...S, ...sched }),

  // ---- Node, Global (§17; concurrency.md §6)
  node("start", "(String, String) -> Int", { ...S, ...dist }),
  node("connect", "(String) -> Int", { ...S, ...dist }),
  node("self", "() -> String", dist),
  node("list", "() -> List<String>", dist),
  node("monitor", "(String) -> Int", dist),
  node("demonitor", "(String) -> Int", dist),
  node("disconnect", "(String) -> Int", dist),
  node("spawn", "<F>(String, F, ...) -> Pid", { ...S, ...dist }),
  node("spawn_link", "<F>(String, F, ...) -> Pid", { ...S, ...dist }),
  global("register", "(String, Pid) -> Int", dist),
  global("whereis", "(String) -> Pid", dist),
  global("lookup", "(String) -> Pid?", dist),
  global("unregister", "(String) -> Int", dist),

  // ---- HTTP server and client, Request (§18, §19)
  http("router", "() -> Router", web),
  http("route", `(Router, String, ${HANDLER}) -> Router`, { ...K, ...web }),
  http("on_get", `(Router, String, ${HANDLER}) -> Router`, { ...K, ...web }),
  http("on_post", `(Router, String, ${HANDLER}) -> Router`, { ...K, ...web }),
  http("on_put", `(Router, String, ${HANDLER}) -> Router`, { ...K, ...web }),
  http("on_delete", `(Router, String, ${HANDLER}) -> Router`, { ...K, ...web }),
  http("use", `(Router, ${MIDDLEWARE}) -> Router`, { ...K, ...web }),
  http("serve", "(Router, Int) -> ()", { ...S, ...web }),
  http("serve_tls", "(Router, Int, String, String) -> ()", { ...S, ...web }),
  http("start", "(Router, String, Int) -> Listener!String", { ...S, ...web }),
  http("stop", "(Listener) -> ()", { ...S, ...web }),
  http("port", "(Listener) -> Int", web),
  http("response", "(Int, String) -> Response", web),
  http("response_with_headers", "(Int, String, Map<String, String>) -> Response", web),
  http("get", "(String) -> String!String", { ...S, ...web }),
  http("post", "(String, String) -> String!String", { ...S, ...web }),
  req("method", "(Request) -> String", web),
  req("path", "(Request) -> String", web),
  req("body", "(Request) -> String", web),
  req("header", "(Request, String) -> String?", web),
  req("query", "(Request, String) -> String?", web),
  req("param", "(Request, String) -> String?", web),

  // ---- Ws (§20)
  ws("serve", "(Fun(Int, String, Map<String, String>) -> Int, Fun(Int, String) -> (), Fun(Int, Int, String) -> (), Int) -> ()", { ...K, ...web }),
  ws("serve_tls", "(Fun(Int, String, Map<String, String>) -> Int, Fun(Int, String) -> (), Fun(Int, Int, String) -> (), Int, String, String) -> ()", { ...K, ...web }),
  ws("start", "(Fun(Int, String, Map<String, String>) -> Int, Fun(Int, String) -> (), Fun(Int, Int, String) -> (), String, Int) -> Listener!String", { ...S, ...K, ...web }),
  ws("stop", "(Listener) -> ()", { ...S, ...web }),
  ws("port", "(Listener) -> Int", web),
  ws("send", "(Int, String) -> Int", web),
  ws("join", "(Int, String) -> Int", web),
  ws("leave", "(Int, String) -> Int", web),
  ws("broadcast", "(String, String) -> Int", web),
  ws("broadcast_except", "(String, String, Int) -> Int", web),

  // ---- Pg, Pool (§21, §22): every function suspends
  pg("connect", "(String) -> PgConn!String", { ...S, ...db }),
  pg("close", "(PgConn) -> ()", { ...S, ...db }),
  pg("query", `(PgConn, String, List<String>) -> ${ROWS}!String`, { ...S, ...db }),
  pg("execute", "(PgConn, String, List<String>) -> Int!String", { ...S, ...db }),
  pg("begin", "(PgConn) -> Result<(), String>", { ...S, ...db }),
  pg("commit", "(PgConn) -> Result<(), String>", { ...S, ...db }),
  pg("rollback", "(PgConn) -> Result<(), String>", { ...S, ...db }),
  pg("transaction", "(PgConn, Fun(PgConn) -> Result<(), String>) -> Result<(), String>", { ...S, ...db }),
  pg("query_as", "<A>(PgConn, String, List<String>, Fun(Map<String, String>) -> A!String) -> List<A!String>!String", { ...S, ...db }),
  pool("open", "(String, Int, Int, Int) -> PoolHandle!String", { ...S, ...db }),
  pool("checkout", "(PoolHandle) -> PgConn!String", { ...S, ...db }),
  pool("checkin", "(PoolHandle, PgConn) -> ()", { ...S, ...db }),
  pool("query", `(PoolHandle, String, List<String>) -> ${ROWS}!String`, { ...S, ...db }),
  pool("execute", "(PoolHandle, String, List<String>) -> Int!String", { ...S, ...db }),
  pool("query_as", "<A>(PoolHandle, String, List<String>, Fun(Map<String, String>) -> A!String) -> List<A!String>!String", { ...S, ...db }),
  pool("transaction", "(PoolHandle, Fun(PgConn) -> Result<(), String>) -> Result<(), String>", { ...S, ...db }),
  pool("close", "(PoolHandle) -> ()", { ...S, ...db }),

  // ---- Sqlite (§23): synchronous
  sqlite("open", "(String) -> SqliteConn!String", db),
  sqlite("close", "(SqliteConn) -> ()", db),
  sqlite("execute", "(SqliteConn, String, List<String>) -> Int!String", db),
  sqlite("query", `(SqliteConn, String, List<String>) -> ${ROWS}!String`, db),
  sqlite("begin", "(SqliteConn) -> Result<(), String>", db),
  sqlite("commit", "(SqliteConn) -> Result<(), String>", db),
  sqlite("rollback", "(SqliteConn) -> Result<(), String>", db),

  // ---- ORM (orm.md §3-§7): Query/Orm/Changeset pure, Repo/Migration suspend
  query("from", "(String) -> Query", ormOwner),
  query("where", "(Query, Atom, String) -> Query", ormOwner),
  query("where_op", "(Query, Atom, Atom, String) -> Query", ormOwner),
  query("where_in", "(Query, Atom, List<String>) -> Query", ormOwner),
  query("where_null", "(Query, Atom) -> Query", ormOwner),
  query("where_not_null", "(Query, Atom) -> Query", ormOwner),
  query("where_raw", "(Query, String, List<String>) -> Query", ormOwner),
  query("select", "(Query, List<String>) -> Query", ormOwner),
  query("select_raw", "(Query, List<String>) -> Query", ormOwner),
  query("order_by", "(Query, Atom, Atom) -> Query", ormOwner),
  query("limit", "(Query, Int) -> Query", ormOwner),
  query("offset", "(Query, Int) -> Query", ormOwner),
  query("join", "(Query, Atom, String, String) -> Query", ormOwner),
  query("group_by", "(Query, Atom) -> Query", ormOwner),
  query("having", "(Query, String, String) -> Query", ormOwner),
  query("fragment", "(Query, String, List<String>) -> Query", ormOwner),
  query("to_sql", "(Query) -> String", ormOwner),
  query("params", "(Query) -> List<String>", ormOwner),
  orm("build_select", "(String, List<String>, List<String>, List<String>, Int, Int) -> String", ormOwner),
  orm("build_insert", "(String, List<String>, List<String>) -> String", ormOwner),
  orm("build_update", "(String, List<String>, List<String>, List<String>) -> String", ormOwner),
  orm("build_delete", "(String, List<String>, List<String>) -> String", ormOwner),
  repo("all", `(PoolHandle, Query) -> ${ROWS}!String`, { ...S, ...ormOwner }),
  repo("one", "(PoolHandle, Query) -> Map<String, String>!String", { ...S, ...ormOwner }),
  repo("get", "(PoolHandle, String, String) -> Map<String, String>!String", { ...S, ...ormOwner }),
  repo("get_by", "(PoolHandle, String, String, String) -> Map<String, String>!String", { ...S, ...ormOwner }),
  repo("count", "(PoolHandle, Query) -> Int!String", { ...S, ...ormOwner }),
  repo("exists", "(PoolHandle, Query) -> Bool!String", { ...S, ...ormOwner }),
  repo("insert", "(PoolHandle, String, Map<String, String>) -> Map<String, String>!String", { ...S, ...ormOwner }),
  repo("update", "(PoolHandle, String, String, Map<String, String>) -> Map<String, String>!String", { ...S, ...ormOwner }),
  repo("delete", "(PoolHandle, String, String) -> Map<String, String>!String", { ...S, ...ormOwner }),
  repo("update_where", "(PoolHandle, String, Map<String, String>, Query) -> Map<String, String>!String", { ...S, ...ormOwner }),
  repo("delete_where", "(PoolHandle, String, Query) -> Int!String", { ...S, ...ormOwner }),
  repo("query_raw", `(PoolHandle, String, List<String>) -> ${ROWS}!String`, { ...S, ...ormOwner }),
  repo("execute_raw", "(PoolHandle, String, List<String>) -> Int!String", { ...S, ...ormOwner }),
  repo("transaction", "<T>(PoolHandle, Fun(PgConn) -> T!String) -> T!String", { ...S, ...ormOwner }),
  repo("insert_changeset", "(PoolHandle, String, Changeset) -> Map<String, String>!Changeset", { ...S, ...ormOwner }),
  repo("update_changeset", "(PoolHandle, String, String, Changeset) -> Map<String, String>!Changeset", { ...S, ...ormOwner }),
  repo("preload", `(PoolHandle, ${ROWS}, List<String>, List<String>) -> ${ROWS}!String`, { ...S, ...ormOwner }),
  changeset("cast", "(Map<String, String>, Map<String, String>, List<Atom>) -> Changeset", ormOwner),
  changeset("cast_with_types", "(Map<String, String>, Map<String, String>, List<Atom>, List<String>) -> Changeset", ormOwner),
  changeset("validate_required", "(Changeset, List<Atom>) -> Changeset", ormOwner),
  changeset("validate_length", "(Changeset, Atom, Int, Int) -> Changeset", ormOwner),
  changeset("validate_format", "(Changeset, Atom, String) -> Changeset", ormOwner),
  changeset("validate_inclusion", "(Changeset, Atom, List<String>) -> Changeset", ormOwner),
  changeset("validate_number", "(Changeset, Atom, Int, Int, Int, Int) -> Changeset", ormOwner),
  changeset("valid", "(Changeset) -> Bool", ormOwner),
  changeset("errors", "(Changeset) -> Map<String, String>", ormOwner),
  changeset("changes", "(Changeset) -> Map<String, String>", ormOwner),
  changeset("get_change", "(Changeset, Atom) -> String", ormOwner),
  changeset("get_error", "(Changeset, Atom) -> String", ormOwner),
  migration("create_table", "(PoolHandle, String, List<String>) -> Int!String", { ...S, ...ormOwner }),
  migration("drop_table", "(PoolHandle, String) -> Int!String", { ...S, ...ormOwner }),
  migration("add_column", "(PoolHandle, String, String) -> Int!String", { ...S, ...ormOwner }),
  migration("drop_column", "(PoolHandle, String, String) -> Int!String", { ...S, ...ormOwner }),
  migration("rename_column", "(PoolHandle, String, String, String) -> Int!String", { ...S, ...ormOwner }),
  migration("create_index", "(PoolHandle, String, List<String>, String) -> Int!String", { ...S, ...ormOwner }),
  migration("drop_index", "(PoolHandle, String, List<String>) -> Int!String", { ...S, ...ormOwner }),
  migration("execute", "(PoolHandle, String) -> Int!String", { ...S, ...ormOwner }),
];

// The original's flat names (`string_length`, `list_map`, …) as prelude aliases of the module
// functions they name: same type, same facts (suspension, callbacks), same implementation.
const FLAT: readonly LibSig[] = Object.entries(FLAT_NAMES).map(([alias, [module, name]]) => {
  const e = BASE.find((x) => x.module === module && x.name === name);
  if (e === undefined) throw new Error(`flat name ${alias}: no ${module}.${name}`);
  return { ...e, module: null, name: alias };
});

export const LIB: readonly LibSig[] = [...BASE, ...FLAT];

/** Modules whose functions are implemented by runtime/stdlib (every entry without `owner`). */
export const STDLIB_MODULES: readonly string[] = [
  "IO", "String", "Int", "Float", "Math", "Bool", "List", "Map", "Set", "Queue", "Range", "Tuple", "Iter",
  "Option", "Result", "Json", "Env", "File", "Crypto", "Random", "Time", "DateTime", "System",
];

/** Modules reserved for a deferred layer (calling them is E0031); none since the ORM shipped (orm.md). */
export const DEFERRED_MODULES: readonly string[] = [];

/** The entry for `Module.name` (module null or "" for the prelude), resolving aliases. */
export function findLib(module: string | null, name: string): LibSig | undefined {
  const m = module === null || module === "" ? null : (MODULE_ALIASES[module] ?? module);
  return BY_NAME.get(`${m ?? ""}.${name}`);
}
const BY_NAME = new Map(LIB.map((e) => [`${e.module ?? ""}.${e.name}`, e] as const));
