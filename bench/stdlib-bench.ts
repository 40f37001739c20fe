// Benchmarks of the value layer and stdlib against native JavaScript baselines measured in the
// same run: persistent Map/List built in a loop vs mutable Map/Array, and Json encode/parse of a
// ~1 KB event vs JSON.stringify/JSON.parse. Ours and the baseline run interleaved; each figure is
// the fastest of several rounds after warm-up (the minimum is the statistic least disturbed by
// other load on a shared machine).
import { typeMeta, type TypeMeta } from "../runtime/core/meta.js";
import { List } from "../runtime/core/list.js";
import { MeshMap, NOT_FOUND } from "../runtime/core/map.js";
import { encodeValue, parseJson, type JsonType } from "../runtime/core/json.js";
import { None, Some } from "../runtime/core/builtin-types.js";

export interface BenchResult {
  name: string;
  ours_ms: number;
  baseline_ms: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => unknown, rounds: number): number {
  const ts: number[] = [];
  let sink: unknown;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    sink = f();
    ts.push(performance.now() - t0);
  }
  if (sink === NOT_FOUND) console.log("");
  return median(ts);
}

function pair(name: string, ours: () => unknown, base: () => unknown, rounds = 15): BenchResult {
  for (let i = 0; i < 3; i++) {
    ours();
    base();
  }
  // interleave to share machine noise evenly
  const o: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    o.push(time(ours, 1));
    b.push(time(base, 1));
  }
  return { name, ours_ms: round(Math.min(...o)), baseline_ms: round(Math.min(...b)) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

// ---- Map: repeated put, then look up every key

function mapBuild(n: number, key: (i: number) => number | string): number {
  let m = MeshMap.empty as MeshMap<number | string, number>;
  for (let i = 0; i < n; i++) m = m.put(key(i), i);
  let s = 0;
  for (let i = 0; i < n; i++) s += m.lookup(key(i)) as number;
  return s;
}
function nativeMapBuild(n: number, key: (i: number) => number | string): number {
  const m = new Map<number | string, number>();
  for (let i = 0; i < n; i++) m.set(key(i), i);
  let s = 0;
  for (let i = 0; i < n; i++) s += m.get(key(i))!;
  return s;
}

// ---- List: append in a loop

function listBuild(n: number): number {
  let xs = List.empty as List<number>;
  for (let i = 0; i < n; i++) xs = xs.append(i);
  return xs.length;
}
function nativeListBuild(n: number): number {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(i);
  return xs.length;
}

// ---- Json: a ~1 KB error event as a Mesh struct deriving Json

function struct(name: string, fields: string[], types: JsonType[]): { meta: TypeMeta; make: (...a: unknown[]) => unknown } {
  const meta = typeMeta("struct", name, "Bench." + name, fields, ["Eq", "Json"]);
  meta.fieldTypes = types;
  const proto = Object.defineProperty({}, "$t", { value: meta });
  const make = (...a: unknown[]): unknown => {
    const o = Object.create(proto) as Record<string, unknown>;
    fields.forEach((f, i) => (o[f] = a[i]));
    return o;
  };
  return { meta, make };
}

const S: JsonType = { k: "string" };
const I: JsonType = { k: "int" };
const F: JsonType = { k: "float" };
const B: JsonType = { k: "bool" };

const Frame = struct("Frame", ["filename", "function", "lineno", "colno", "in_app"], [S, S, I, I, B]);
const Exc = struct("Exception", ["type", "value", "frames"], [S, S, { k: "list", of: { k: "struct", meta: Frame.meta } }]);
const User = struct("User", ["id", "email", "ip"], [S, S, S]);
const Event = struct(
  "Event",
  ["event_id", "timestamp", "level", "message", "platform", "release", "environment", "tags", "user", "exception", "retries", "duration_ms", "ratio", "fingerprint", "server_name", "sdk", "transaction"],
  [S, S, S, S, S, S, S, { k: "map", of: S }, { k: "struct", meta: User.meta }, { k: "struct", meta: Exc.meta }, I, F, F, { k: "list", of: S }, { k: "option", of: S }, { k: "map", of: S }, S],
);

export const EVENT_JS = {
  event_id: "3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
  timestamp: "2025-01-31T08:05:09.042Z",
  level: "error",
  message: "TypeError: Cannot read properties of undefined (reading 'x')",
  platform: "javascript",
  release: "web@1.4.2",
  environment: "production",
  tags: { browser: "Chrome", os: "macOS", region: "eu-west-1", "user-agent": "Mozilla/5.0 (Macintosh)" },
  user: { id: "u_1842", email: "kim@example.com", ip: "203.0.113.7" },
  exception: {
    type: "TypeError",
    value: "Cannot read properties of undefined",
    frames: [
      { filename: "app.js", function: "render", lineno: 120, colno: 17, in_app: true },
      { filename: "vendor.js", function: "commitRoot", lineno: 5531, colno: 9, in_app: false },
      { filename: "app.js", function: "onClick", lineno: 88, colno: 3, in_app: true },
    ],
  },
  retries: 2,
  duration_ms: 153.25,
  ratio: 0.5,
  fingerprint: ["{{ default }}", "render"],
  server_name: null as string | null,
  sdk: { name: "mesh.browser", version: "2.3.1" },
  transaction: "/checkout/:step",
};

function meshEvent(): unknown {
  const e = EVENT_JS;
  const frames = List.fromArray(e.exception.frames.map((f) => Frame.make(f.filename, f.function, f.lineno, f.colno, f.in_app)));
  return Event.make(
    e.event_id,
    e.timestamp,
    e.level,
    e.message,
    e.platform,
    e.release,
    e.environment,
    MeshMap.fromPairs(Object.entries(e.tags)),
    User.make(e.user.id, e.user.email, e.user.ip),
    Exc.make(e.exception.type, e.exception.value, frames),
    e.retries,
    e.duration_ms,
    e.ratio,
    List.fromArray(e.fingerprint),
    e.server_name === null ? None : new Some(e.server_name),
    MeshMap.fromPairs(Object.entries(e.sdk)),
    e.transaction,
  );
}

const EVENT_TYPE: JsonType = { k: "struct", meta: Event.meta };

export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const intKey = (i: number): number => i * 7;
  const strKeys = Array.from({ length: 200_000 }, (_, i) => "key" + i);
  const strKey = (i: number): string => strKeys[i];
  for (const n of [100_000, 200_000]) {
    out.push(pair(`Map put+get ${n} Int keys`, () => mapBuild(n, intKey), () => nativeMapBuild(n, intKey)));
    out.push(pair(`Map put+get ${n} String keys`, () => mapBuild(n, strKey), () => nativeMapBuild(n, strKey)));
    out.push(pair(`List append ${n}`, () => listBuild(n), () => nativeListBuild(n)));
  }
  const ev = meshEvent();
  const text = JSON.stringify(EVENT_JS);
  const reps = 2000;
  out.push(
    pair(
      `Json.encode 1 KB event x${reps}`,
      () => {
        let n = 0;
        for (let i = 0; i < reps; i++) n += encodeValue(ev, EVENT_TYPE).length;
        return n;
      },
      () => {
        let n = 0;
        for (let i = 0; i < reps; i++) n += JSON.stringify(EVENT_JS).length;
        return n;
      },
      25,
    ),
  );
  out.push(
    pair(
      `Json.parse 1 KB event x${reps}`,
      () => {
        let n = 0;
        for (let i = 0; i < reps; i++) n += parseJson(text) === null ? 0 : 1;
        return n;
      },
      () => {
        let n = 0;
        for (let i = 0; i < reps; i++) n += JSON.parse(text) === null ? 0 : 1;
        return n;
      },
      25,
    ),
  );
  return out;
}

// `node dist/bench/stdlib-bench.js` prints the table.
if (process.argv[1] !== undefined && /stdlib-bench\.[jt]s$/.test(process.argv[1])) {
  void run().then((rs) => {
    for (const r of rs) console.log(`${r.name.padEnd(36)} ours ${r.ours_ms.toFixed(2).padStart(8)} ms   baseline ${r.baseline_ms.toFixed(2).padStart(8)} ms   x${(r.ours_ms / r.baseline_ms).toFixed(2)}`);
  });
}
