// Micro-benchmark of the distribution term codec (runtime/dist/codec.ts, wire.ts): SEND frames
// encoded into a reused batch writer and decoded back, against JSON.stringify/JSON.parse and
// v8.serialize/v8.deserialize of the equivalent plain JS data, measured in the same run.
// Standalone: `node dist/bench/dist-codec-bench.js`; `run()` returns rows for bench/run.ts.
import * as v8 from "node:v8";
import { pathToFileURL } from "node:url";
import { ByteWriter, decodeFrame, encodeSendTo, type PidCodec, type WirePid } from "../runtime/dist/wire.js";
import { defineType } from "../runtime/core/type-registry.js";
import { Atom } from "../runtime/core/meta.js";
import { List } from "../runtime/core/list.js";
import { MeshMap } from "../runtime/core/map.js";
import { Some } from "../runtime/core/builtin-types.js";
import { NodeRef, Pid } from "../runtime/sched/pid.js";
import { printRows, type Row } from "./measure.js";

const node = new NodeRef("bench@127.0.0.1", 77, false);
const pids: PidCodec = {
  toWire: (p: Pid): WirePid => ({ node: p.node.name, creation: p.node.creation, id: p.serial }),
  fromWire: (w: WirePid): Pid => new Pid(node, w.id),
};

const Event = defineType("Bench.Event", { fields: ["id", "level", "message", "tags", "extra"] });
const EventC = Event.ctors[0] as new (...a: unknown[]) => unknown;

function messages(): { name: string; mesh: unknown; plain: unknown }[] {
  const pid = new Pid(node, 12345);
  const tags = ["api", "db", "auth", "eu-west", "v2", "retry", "slow", "user:42", "svc", "prod"];
  const extra: [string, unknown][] = [["attempt", 3], ["latency_ms", 12.5], ["path", "/api/v1/items"], ["ok", false], ["code", 503]];
  return [
    {
      name: "small tuple {:ping, n, pid}",
      mesh: [Atom.of("ping"), 42, pid],
      plain: ["ping", 42, { node: "bench@127.0.0.1", creation: 77, id: 12345 }],
    },
    {
      name: "event struct (10 tags, 5-entry map, Option)",
      mesh: new EventC(0, "error", "connection reset by peer while reading", List.fromArray(tags), new Some(MeshMap.fromPairs(extra))),
      plain: { id: 0, level: "error", message: "connection reset by peer while reading", tags, extra: { some: Object.fromEntries(extra) } },
    },
  ];
}

function rate(f: () => void, ms: number): number {
  for (let i = 0; i < 2000; i++) f(); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 1000; i++) f();
    n += 1000;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

export async function run(ms = 400): Promise<Row[]> {
  const rows: Row[] = [];
  const w = new ByteWriter(1 << 16);
  for (const m of messages()) {
    const fs = [
      () => {
        w.reset();
        encodeSendTo(w, 1, 77, m.mesh, pids);
        const f = decodeFrame(w.buf.subarray(4, w.pos), "session", pids);
        if (f.kind !== "SEND" || !f.msg.ok) throw new Error("bench: bad decode");
      },
      () => JSON.parse(JSON.stringify(m.plain)),
      () => v8.deserialize(v8.serialize(m.plain)),
    ];
    // interleaved rounds, best of 3 each: a shared, loaded machine disturbs single runs
    const best = [0, 0, 0];
    for (let round = 0; round < 3; round++) for (let i = 0; i < fs.length; i++) best[i] = Math.max(best[i], rate(fs[i], ms / 3));
    const [ours, json, ser] = best;
    rows.push({ name: `codec SEND encode+decode, ${m.name} (vs JSON.stringify+parse)`, ours, baseline: json, unit: "msgs/s" });
    rows.push({ name: `codec SEND encode+decode, ${m.name} (vs v8.serialize+deserialize)`, ours, baseline: ser, unit: "msgs/s" });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  printRows("Distribution term codec", await run(Number(process.env.BENCH_MS ?? 400)));
}
