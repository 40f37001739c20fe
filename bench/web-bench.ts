// Web and database benchmarks against a plain node:http server doing the same small JSON POST echo
// (and, when DATABASE_URL is set, the same with one parameterised INSERT per request into
// PostgreSQL: our Pool vs `pg`'s Pool). Two contenders on our side:
//   * the compiled Mesh program bench/programs/web/json_echo/main.mpl, built with `meshc build`
//     and started through its launcher, exactly as a user would run it;
//   * the same server written in TypeScript against the web runtime's API (web-bench-server.ts),
//     which shows how much of the cost is the runtime and how much the generated code.
// Each server runs in its own child process; the load generator here keeps 32 connections busy
// for a fixed time with raw sockets (cheap, so the server is what we measure). The spec's wire
// format is one request per connection with `Connection: close` (stdlib.md §29.1); the runtime
// also offers keep-alive as an opt-in (MESH_HTTP_KEEPALIVE=1 / `keepAlive: true`), so both modes
// are measured, with the baseline in the same mode.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort } from "./measure.js";

export interface WebBenchRow {
  name: string;
  ours: number;
  baseline: number;
  unit: string;
  target?: string;
}

const CONNECTIONS = 32;
const WARMUP_MS = Number(process.env.MESH_BENCH_WARMUP_MS ?? 1000);
const DURATION_MS = Number(process.env.MESH_BENCH_DURATION_MS ?? 4000);
const ROUNDS = Number(process.env.MESH_BENCH_ROUNDS ?? 2);
const BODY = JSON.stringify({ event: "signup", user: { id: 42, name: "Ann" }, tags: ["a", "b"] });

/** ours = the web runtime's API from TypeScript; mesh = the compiled Mesh program; plain = node:http */
type Kind = "ours" | "mesh" | "plain";

interface Server {
  child: ChildProcess;
  port: number;
  /** CPU time (µs) the server process has used so far */
  cpu(): Promise<number>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MESHC = path.join(ROOT, "bin/meshc.js");
const MESH_PROGRAM = path.join(ROOT, "bench/programs/web/json_echo");

let launcher: string | null = null;
let buildDir: string | null = null;

/** Builds bench/programs/web/json_echo with the real CLI (into a temporary copy) once. */
function buildMeshServer(): string {
  if (launcher) return launcher;
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-web-bench-"));
  const dir = path.join(buildDir, "json_echo");
  fs.cpSync(MESH_PROGRAM, dir, { recursive: true });
  const r = spawnSync(process.execPath, [MESHC, "build", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`meshc build ${MESH_PROGRAM} failed: ${r.stderr}`);
  launcher = path.join(dir, "json_echo");
  return launcher;
}

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** CPU time (µs) of another process from /proc (Linux); NaN elsewhere. */
function procCpu(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from #3 (state) on
    return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK; // utime (#14) + stime (#15)
  } catch {
    return NaN;
  }
}

/** The compiled Mesh server, started through its launcher; ready once its exact stderr line appears. */
async function startMeshServer(keepAlive: boolean, dbUrl: string, table: string): Promise<Server> {
  const exe = buildMeshServer();
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), MESH_HTTP_KEEPALIVE: keepAlive ? "1" : "0", DATABASE: dbUrl, BENCH_TABLE: table };
  const child = spawn(exe, [], { env, stdio: ["ignore", "inherit", "pipe"] });
  const ready = `[mesh-rt] HTTP server listening on 0.0.0.0:${port}`;
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`compiled Mesh server not ready after 30 s: ${err}`));
    }, 30_000);
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      if (err.length < 10_000) err += d;
      if (err.split("\n").includes(ready)) {
        clearTimeout(timer);
        resolve({ child, port, cpu: () => Promise.resolve(procCpu(child.pid!)) });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`compiled Mesh server exited with ${code}: ${err}`));
    });
  });
}

function startServer(kind: Kind, keepAlive: boolean, dbUrl = "", table = ""): Promise<Server> {
  if (kind === "mesh") return startMeshServer(keepAlive, dbUrl, table);
  const script = fileURLToPath(new URL("./web-bench-server.js", import.meta.url));
  const child = spawn(process.execPath, [script, kind, keepAlive ? "ka" : "close", dbUrl, table], { stdio: ["ignore", "pipe", "inherit"] });
  let cpuWaiter: ((us: number) => void) | null = null;
  const cpu = () =>
    new Promise<number>((resolve) => {
      cpuWaiter = resolve;
      child.kill("SIGUSR2");
    });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      let m: RegExpExecArray | null;
      while ((m = /^(READY|CPU) (\d+)\n/.exec(out))) {
        out = out.slice(m[0].length);
        if (m[1] === "READY") resolve({ child, port: Number(m[2]), cpu });
        else if (cpuWaiter) {
          const w = cpuWaiter;
          cpuWaiter = null;
          w(Number(m[2]));
        }
      }
    });
    child.on("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Runs the load for `ms` and returns completed 2xx responses (and the error count). */
function load(port: number, keepAlive: boolean, ms: number): Promise<{ ok: number; bad: number }> {
  const req = Buffer.from(
    `POST /echo HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n` +
      (keepAlive ? "Connection: keep-alive\r\n" : "") +
      `\r\n${BODY}`,
  );
  const end = Date.now() + ms;
  let ok = 0;
  let bad = 0;
  const countReply = (head: string) => {
    if (head.startsWith("HTTP/1.1 2")) ok++;
    else bad++;
  };

  const closeLoop = (): Promise<void> =>
    new Promise((resolve) => {
      const once = () => {
        if (Date.now() >= end) return resolve();
        const s = net.connect(port, "127.0.0.1");
        let head = "";
        s.setNoDelay(true);
        s.on("data", (c: Buffer) => {
          if (head.length < 16) head += c.toString("latin1", 0, 16);
        });
        s.on("error", () => {
          bad++;
        });
        s.on("close", () => {
          if (head) countReply(head);
          once();
        });
        s.write(req);
      };
      once();
    });

  const keepAliveLoop = (): Promise<void> =>
    new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.setNoDelay(true);
      let buf: Buffer = Buffer.alloc(0);
      s.on("connect", () => s.write(req));
      s.on("error", () => {
        bad++;
        resolve();
      });
      s.on("data", (c: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, c]) : c;
        for (;;) {
          const sep = buf.indexOf("\r\n\r\n");
          if (sep < 0) return;
          const head = buf.toString("latin1", 0, sep);
          const m = /content-length:\s*(\d+)/i.exec(head);
          const total = sep + 4 + (m ? Number(m[1]) : 0);
          if (buf.length < total) return;
          countReply(head);
          buf = buf.subarray(total);
          if (Date.now() >= end) {
            s.destroy();
            return resolve();
          }
          s.write(req);
        }
      });
    });

  const loop = keepAlive ? keepAliveLoop : closeLoop;
  return Promise.all(Array.from({ length: CONNECTIONS }, loop)).then(() => ({ ok, bad }));
}

interface Measured {
  rps: number;
  /** server CPU time per request, µs */
  cpuPerReq: number;
}

async function measure(kind: Kind, keepAlive: boolean, dbUrl = "", table = ""): Promise<Measured> {
  const srv = await startServer(kind, keepAlive, dbUrl, table);
  try {
    await load(srv.port, keepAlive, WARMUP_MS);
    const cpu0 = await srv.cpu();
    const { ok, bad } = await load(srv.port, keepAlive, DURATION_MS);
    const cpu1 = await srv.cpu();
    if (bad > ok / 100) throw new Error(`${kind}: ${bad} failed requests (${ok} ok)`);
    return { rps: ok / (DURATION_MS / 1000), cpuPerReq: (cpu1 - cpu0) / ok };
  } finally {
    await stopServer(srv.child);
  }
}

/** Alternates the baseline and our two servers (ROUNDS times each) and keeps each side's best run,
 * so no side profits from warming up the load generator first. */
async function compare(keepAlive: boolean, dbUrl = "", table = ""): Promise<Record<Kind, Measured>> {
  const best = (a: Measured | undefined, b: Measured): Measured => (a === undefined ? b : { rps: Math.max(a.rps, b.rps), cpuPerReq: Math.min(a.cpuPerReq, b.cpuPerReq) });
  const out: Partial<Record<Kind, Measured>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ["plain", "mesh", "ours"] as const) out[kind] = best(out[kind], await measure(kind, keepAlive, dbUrl, table));
  }
  return out as Record<Kind, Measured>;
}

function rowsFor(name: string, ours: Measured, baseline: Measured): WebBenchRow[] {
  const rows: WebBenchRow[] = [{ name: `${name}: throughput`, ours: ours.rps, baseline: baseline.rps, unit: "req/s", target: "ratio >= 0.8" }];
  if (Number.isFinite(ours.cpuPerReq) && Number.isFinite(baseline.cpuPerReq))
    rows.push({ name: `${name}: server CPU per request`, ours: ours.cpuPerReq, baseline: baseline.cpuPerReq, unit: "µs", target: "ratio <= 1.25" });
  return rows;
}

function rowsForAll(what: string, mode: string, r: Record<Kind, Measured>): WebBenchRow[] {
  return [
    ...rowsFor(`${what}, compiled Mesh program vs node:http, ${CONNECTIONS} connections, ${mode}`, r.mesh, r.plain),
    ...rowsFor(`${what}, web runtime API from TypeScript vs node:http, ${CONNECTIONS} connections, ${mode}`, r.ours, r.plain),
  ];
}

export async function run(): Promise<WebBenchRow[]> {
  try {
    return await runAll();
  } finally {
    if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
    launcher = buildDir = null;
  }
}

async function runAll(): Promise<WebBenchRow[]> {
  const rows: WebBenchRow[] = [];
  buildMeshServer();
  for (const keepAlive of [false, true]) {
    const mode = keepAlive ? "keep-alive (opt-in)" : "Connection: close (spec wire format)";
    rows.push(...rowsForAll("HTTP JSON POST echo", mode, await compare(keepAlive)));
  }
  const url = process.env.DATABASE_URL || process.env.MESH_TEST_DATABASE_URL || "";
  if (url) {
    const table = `mesh_bench_events_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE TABLE IF NOT EXISTS ${table} (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
      for (const keepAlive of [false, true]) {
        const mode = keepAlive ? "keep-alive (opt-in)" : "Connection: close";
        rows.push(...rowsForAll("HTTP POST + 1 INSERT into PostgreSQL (pool of 10)", mode, await compare(keepAlive, url, table)));
      }
    } finally {
      await admin.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await admin.end();
    }
  }
  return rows;
}

// `node dist/bench/web-bench.js`: this benchmark alone
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { printRows } = await import("./measure.js");
  printRows("web and database", await run());
}
