// The standard library as generated code sees it: one object per Mesh module, named exactly as
// the module (`lib.String.length(s)`), plus `prelude` for the unqualified functions. Property
// names are the Mesh function names verbatim; `name$g` properties are the generator variants of
// functions taking callbacks (hof.ts). Types of every entry: compiler/stdlib/signatures.ts.
// Modules implemented elsewhere (Timer, Process, Job, Node, Global, HTTP, Request, Ws, Pg, Pool,
// Sqlite) are not exported here.
import { Bool_ } from "./bool.js";
import { Crypto_ } from "./crypto.js";
import { Env_ } from "./env.js";
import { File_ } from "./file.js";
import { Float_ } from "./float.js";
import { Int_ } from "./int.js";
import { IO } from "./io.js";
import { Iter_ } from "./iter.js";
import { Json_ } from "./json.js";
import { List_ } from "./list.js";
import { Map_ } from "./map.js";
import { Math_ } from "./math.js";
import { Option_ } from "./option.js";
import { prelude } from "./prelude.js";
import { FLAT_NAMES } from "../../common/facts.js";
import { Queue_ } from "./queue.js";
import { Random_ } from "./random.js";
import { Range_ } from "./range.js";
import { Result_ } from "./result.js";
import { Set_ } from "./set.js";
import { String_ } from "./string.js";
import { System_ } from "./system.js";
import { DateTime_, Time_ } from "./time.js";
import { Tuple_ } from "./tuple.js";

export {
  String_ as String,
  List_ as List,
  Map_ as Map,
  Set_ as Set,
  Queue_ as Queue,
  Range_ as Range,
  Tuple_ as Tuple,
  Iter_ as Iter,
  Option_ as Option,
  Result_ as Result,
  Json_ as Json,
  Json_ as JSON,
  Env_ as Env,
  File_ as File,
  IO,
  Int_ as Int,
  Float_ as Float,
  Math_ as Math,
  Bool_ as Bool,
  Crypto_ as Crypto,
  Random_ as Random,
  Time_ as Time,
  DateTime_ as DateTime,
  System_ as System,
  prelude,
};

/** Module name -> module object, for generic lookups (tests, the REPL, `lib[module]`). */
export const modules: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  String: String_,
  List: List_,
  Map: Map_,
  Set: Set_,
  Queue: Queue_,
  Range: Range_,
  Tuple: Tuple_,
  Iter: Iter_,
  Option: Option_,
  Result: Result_,
  Json: Json_,
  Env: Env_,
  File: File_,
  IO,
  Int: Int_,
  Float: Float_,
  Math: Math_,
  Bool: Bool_,
  Crypto: Crypto_,
  Random: Random_,
  Time: Time_,
  DateTime: DateTime_,
  System: System_,
};

// The original's flat names (`string_length`, `list_map`, …) are the module functions themselves,
// generator variants included (common/facts.ts FLAT_NAMES; issue 10).
for (const [alias, [m, n]] of Object.entries(FLAT_NAMES)) {
  const mod = modules[m] as Record<string, unknown>;
  const p = prelude as Record<string, unknown>;
  p[alias] = mod[n];
  if (mod[`${n}$g`] !== undefined) p[`${alias}$g`] = mod[`${n}$g`];
}

// Helpers generated code and the runtime entry may want directly.
export { flushStdout, setOutputSink, writeStderr, writeStdout } from "./io.js";
export { setSyncYieldHandler, isGenFn } from "./hof.js";
export { Iter as IterValue, DONE, iterFrom, iterOf } from "./iter.js";
export { Queue as QueueValue } from "./queue.js";
