// Distribution benchmarks (issue 8): two meshc-compiled programs (bench/dist-programs/server and
// client) in two OS processes on 127.0.0.1 — ping-pong 100,000 round trips, 100,000 one-way
// sends followed by one acknowledgement, and 10,000 remote service calls — against, in the same
// run, the hand-written node:net pair of the anchors (/work/shared/anchors/node/bench_dist.js,
// run by path in `coalesce` mode: frames written in one tick go out in one socket.write) and
// distributed Erlang (anchors_dist.erl) when `erl` is installed, pinned to one CPU with taskset
// as the anchors README describes (its best case). The Mesh client times each run with
// Time.monotonic_ms inside the program (connection set-up and start-up excluded, like the
// baselines); one warm-up run, then REPS measured runs; figures are medians.
//
// Standalone: `node dist/bench/dist-bench.js` after `npx tsc -p tsconfig.json`
// (DIST_BENCH_REPS, DIST_BENCH_N to shrink it while developing).
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { median, printRows, type Row } from "./measure.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const BENCH_DIR = path.join(ROOT, "bench");
const MESHC = path.join(ROOT, "bin/meshc.js");
const ANCHORS = process.env.MESH_ANCHORS ?? path.resolve(ROOT, "../shared/anchors");
const REPS = Number(process.env.DIST_BENCH_REPS ?? 5);
const N = Number(process.env.DIST_BENCH_N ?? 100_000);
const N_CALLS = Math.max(1, Math.round(N / 10));
const COOKIE = "bench-cookie";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function build(name: string, tmp: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(ROOT, "bench/dist-programs", name), dir, { recursive: true });
  const r = spawnSync(process.execPath, [MESHC, "build", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`meshc build ${name} failed: ${r.stderr}${r.stdout}`);
  return path.join(dir, name);
}

/** Runs a command to completion, with a deadline; resolves with its stdout (throws on failure). */
function run(cmd: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...(opts.env ?? {}) }, cwd: opts.cwd ?? BENCH_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} ${args.join(" ")} failed (${code ?? signal}):\n${out}\n${err}`));
    });
  });
}

/** Starts a long-running server process; resolves once `ready` appeared on stdout. */
function startServer(cmd: string, args: string[], env: Record<string, string>, ready: string): Promise<{ stop: () => void; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd: BENCH_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server never printed ${ready}:\n${out}\n${err}`));
    }, 20_000);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.split("\n").includes(ready)) {
        clearTimeout(timer);
        resolve({ stop: () => child.kill("SIGKILL"), stderr: () => err });
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before ready:\n${out}\n${err}`));
    });
  });
}

interface Figures {
  pingpong: number;
  oneway: number;
  calls?: number;
}

/** Our two compiled programs; rates per second (medians). */
async function ours(): Promise<Figures> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-dist-bench-"));
  try {
    const server = build("server", tmp);
    const client = build("client", tmp);
    const [ps, pc] = [await freePort(), await freePort()];
    const sName = `b@127.0.0.1:${ps}`;
    const srv = await startServer(server, [], { NAME: sName, COOKIE }, "b ready");
    try {
      const out = await run(client, [], {
        env: { NAME: `a@127.0.0.1:${pc}`, COOKIE, SERVER: sName, REPS: String(REPS), N_PINGPONG: String(N), N_ONEWAY: String(N), N_CALLS: String(N_CALLS) },
        timeoutMs: 600_000,
      });
      if (!out.startsWith("connect 0\n") || !out.endsWith("done\n")) throw new Error(`client output:\n${out}\nserver stderr:\n${srv.stderr()}`);
      const rate = (shape: string): number => {
        const runs = [...out.matchAll(new RegExp(`^RUN ${shape} (\\d+) (-?\\d+)$`, "gm"))].map((m) => Number(m[1]) / (Math.max(1, Number(m[2])) / 1000));
        if (out.match(new RegExp(`^RUN ${shape} \\d+ -`, "m"))) throw new Error(`${shape}: wrong acknowledgement count:\n${out}`);
        if (runs.length !== REPS) throw new Error(`${shape}: ${runs.length} runs:\n${out}`);
        console.log(`[dist] ours ${shape}: ${runs.map((r) => (r / 1000).toFixed(1)).join(", ")} k/s`);
        return median(runs);
      };
      return { pingpong: rate("pingpong"), oneway: rate("oneway"), calls: rate("calls") };
    } finally {
      srv.stop();
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function parseAnchorRuns(out: string, label: string): Figures {
  const pick = (name: string): number => {
    const runs = [...out.matchAll(new RegExp(`^RUN ${label}\\.${name} ([\\d.]+) `, "gm"))].map((m) => Number(m[1]));
    if (runs.length === 0) throw new Error(`no RUN lines for ${name}:\n${out}`);
    console.log(`[dist] ${label} ${name}: ${runs.map((r) => (r / 1000).toFixed(1)).join(", ")} k/s`);
    return median(runs);
  };
  return { pingpong: pick("dist_pingpong_100k"), oneway: pick("dist_oneway_100k") };
}

/** The node:net pair with the same framing and no actors (coalesced writes). */
async function nodeNet(): Promise<Figures> {
  const script = path.relative(BENCH_DIR, path.join(ANCHORS, "node/bench_dist.js"));
  const out = await run(process.execPath, [script, "gen", "nodenet", String(REPS), "coalesce"], { timeoutMs: 300_000 });
  return parseAnchorRuns(out, "nodenet");
}

/** Distributed Erlang, both nodes pinned to CPU 0; null (with a printed note) without `erl`. */
async function erlang(): Promise<Figures | null> {
  const has = (c: string) => spawnSync("sh", ["-c", `command -v ${c}`]).status === 0;
  if (!has("erl") || !has("erlc")) {
    console.log("[dist] erl not installed: distributed Erlang skipped (apt-get install erlang-base)");
    return null;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-dist-erl-"));
  try {
    const c = spawnSync("erlc", ["-o", tmp, path.join(ANCHORS, "beam/anchors_dist.erl")], { encoding: "utf8" });
    if (c.status !== 0) throw new Error(`erlc failed: ${c.stderr}${c.stdout}`);
    spawnSync("epmd", ["-daemon"], { env: { ...process.env, ERL_EPMD_ADDRESS: "127.0.0.1" } });
    const pin = has("taskset") ? ["taskset", "-c", "0"] : [];
    const common = ["+S", "1", "-setcookie", COOKIE, "-noshell", "-pa", tmp, "-kernel", "inet_dist_use_interface", "{127,0,0,1}"];
    const suffix = `${process.pid}`;
    const bName = `b${suffix}@127.0.0.1`;
    const [cmd, ...pre] = pin.length ? pin : ["erl"];
    const erlArgs = (extra: string[]) => (pin.length ? [...pre, "erl", ...extra] : extra);
    const server = spawn(cmd!, erlArgs(["-name", bName, ...common, "-s", "anchors_dist", "server"]), { cwd: BENCH_DIR, stdio: "ignore" });
    try {
      const out = await run(cmd!, erlArgs(["-name", `a${suffix}@127.0.0.1`, ...common, "-run", "anchors_dist", "client", bName, "erlang", String(REPS)]), { timeoutMs: 300_000 });
      console.log(`[dist] distributed Erlang ${pin.length ? "pinned to CPU 0 (taskset -c 0)" : "unpinned"}`);
      return parseAnchorRuns(out, "erlang");
    } finally {
      server.kill("SIGKILL");
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function run_(): Promise<Row[]> {
  const net_ = await nodeNet();
  const erl = await erlang().catch((e: Error) => {
    console.log(`[dist] distributed Erlang failed: ${e.message}`);
    return null;
  });
  const o = await ours();
  const k = (x: number) => x / 1000;
  const rows: Row[] = [
    { name: `ping-pong ${N.toLocaleString("en")} round trips, two meshc programs, vs node:net pair`, ours: k(o.pingpong), baseline: k(net_.pingpong), unit: "k round trips/s", target: ">= 0.8x" },
    { name: `${N.toLocaleString("en")} one-way sends + ack, two meshc programs, vs node:net pair`, ours: k(o.oneway), baseline: k(net_.oneway), unit: "k msgs/s", target: ">= 0.8x" },
  ];
  if (erl) {
    rows.push(
      { name: `ping-pong ${N.toLocaleString("en")} round trips vs distributed Erlang (pinned)`, ours: k(o.pingpong), baseline: k(erl.pingpong), unit: "k round trips/s", target: "> 1x" },
      { name: `${N.toLocaleString("en")} one-way sends + ack vs distributed Erlang (pinned)`, ours: k(o.oneway), baseline: k(erl.oneway), unit: "k msgs/s", target: "> 1x" },
    );
  }
  rows.push({ name: `${N_CALLS.toLocaleString("en")} remote service calls (one caller)`, ours: k(o.calls!), baseline: null, unit: "k calls/s" });
  return rows;
}

export { run_ as run };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await run_();
  printRows("distribution (two OS processes)", rows);
}
