// Mesher benchmarks (issue 9): ingestion throughput and p50/p99 latency of POST /api/v1/events at
// 32 connections against a hand-written node:http + pg server that does the naive thing (one
// SELECT to authenticate, one INSERT per request), both on the real PostgreSQL of DATABASE_URL in
// the same run; the same load on Mesher's embedded PGlite; `meshc build mesher/` cold (whole
// process); RSS of an idle node and after 100,000 ingested events. Figures are printed, never
// asserted. Run after `npm run build`: `node dist/bench/mesher-bench.js`, or import it and call
// `run()` for the rows of bench/run.ts (the naive server is this file started with the argument
// `naive-server`).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, median, type Row } from "./measure.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MESHC = path.join(ROOT, "bin/meshc.js");
const CONNECTIONS = 32;
const DURATION_MS = Number(process.env.MESH_BENCH_DURATION_MS ?? 5000);
const WARMUP_MS = Number(process.env.MESH_BENCH_WARMUP_MS ?? 1000);
const DATABASE_URL = process.env.DATABASE_URL || "";
/** events ingested before the second RSS reading (the issue asks for 100,000) */
const RSS_EVENTS = Number(process.env.MESH_BENCH_RSS_EVENTS ?? 100000);
const EVENT = JSON.stringify({ message: "Timeout talking to db", level: "error", tags: { environment: "prod" }, extra: { attempt: 3 } });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the naive baseline server (runs in a child process) --------------------------------------

async function naiveServer(port: number, url: string, schema: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        const key = req.headers["x-sentry-auth"];
        const body = Buffer.concat(chunks).toString("utf8");
        const auth = await pool.query("SELECT project_id FROM api_keys WHERE key_value = $1 AND revoked_at IS NULL", [key]);
        if (auth.rows.length === 0) {
          res.writeHead(401, { "Content-Type": "application/json" }).end('{"error":"unauthorized"}');
          return;
        }
        const ev = JSON.parse(body);
        const r = await pool.query("INSERT INTO naive_events (project_id, message, payload) VALUES ($1, $2, $3) RETURNING id", [auth.rows[0].project_id, ev.message, body]);
        res.writeHead(202, { "Content-Type": "application/json", Connection: "close" }).end(JSON.stringify({ status: "accepted", event_id: r.rows[0].id }));
      } catch (e) {
        res.writeHead(500).end('{"error":"internal error"}');
      }
    });
  });
  server.listen(port, "127.0.0.1", () => console.log(`READY ${port}`));
}

// ---- load ---------------------------------------------------------------------------------------

interface LoadResult {
  ok: number;
  bad: number;
  p50: number;
  p99: number;
  perSec: number;
}

/** 32 connections, one request per connection (Connection: close), for `ms`; 2xx only count. */
function load(port: number, key: string, ms: number, target = "/api/v1/events", body = EVENT): Promise<LoadResult> {
  const req = Buffer.from(
    `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nX-Sentry-Auth: ${key}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  const end = Date.now() + ms;
  const lat: number[] = [];
  let ok = 0;
  let bad = 0;
  const loop = (): Promise<void> =>
    new Promise((resolve) => {
      const once = () => {
        if (Date.now() >= end) return resolve();
        const t0 = performance.now();
        const s = net.connect(port, "127.0.0.1");
        let head = "";
        s.setNoDelay(true);
        s.on("data", (c: Buffer) => {
          if (head.length < 16) head += c.toString("latin1", 0, 16);
        });
        s.on("error", () => {});
        s.on("close", () => {
          if (head.startsWith("HTTP/1.1 2")) {
            ok++;
            lat.push(performance.now() - t0);
          } else bad++;
          once();
        });
        s.write(req);
      };
      once();
    });
  const started = Date.now();
  return Promise.all(Array.from({ length: CONNECTIONS }, loop)).then(() => {
    lat.sort((a, b) => a - b);
    const secs = (Date.now() - started) / 1000;
    return { ok, bad, p50: lat[Math.floor(lat.length / 2)] ?? NaN, p99: lat[Math.floor(lat.length * 0.99)] ?? NaN, perSec: ok / secs };
  });
}

// ---- Mesher ---------------------------------------------------------------------------------------

function buildMesher(): { launcher: string; coldMs: number[] } {
  const coldMs: number[] = [];
  let launcher = "";
  for (let i = 0; i < 3; i++) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesher-bench-"));
    const dir = path.join(tmp, "mesher");
    fs.cpSync(path.join(ROOT, "mesher"), dir, { recursive: true, filter: (s) => !s.includes("_build") && !s.includes("mesher-data") });
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [MESHC, "build", dir], { encoding: "utf8" });
    coldMs.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`meshc build mesher failed: ${r.stderr}${r.stdout}`);
    launcher = path.join(dir, "mesher");
  }
  return { launcher, coldMs };
}

interface Node {
  child: ChildProcess;
  port: number;
  rss(): number;
}

async function startMesher(launcher: string, env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const ws = await freePort();
  const child = spawn(launcher, [], {
    env: { ...process.env, MESHER_HTTP_PORT: String(port), MESHER_WS_PORT: String(ws), MESHER_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "mesher-bench-j-")), MESHER_RATE_LIMIT_MAX: "1000000000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), "mesher-bench-cwd-")),
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/status`);
      await r.text();
      if (r.status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("mesher did not start");
    await sleep(200);
  }
  const rss = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  };
  return { child, port, rss };
}

async function bootstrapKey(port: number): Promise<string> {
  const api = `http://127.0.0.1:${port}/api/v1`;
  const post = async (p: string, b: unknown) => (await (await fetch(api + p, { method: "POST", body: JSON.stringify(b) })).json()) as any;
  const org = await post("/orgs", { name: "Bench", slug: `bench-${Date.now().toString(36)}` });
  const project = await post(`/orgs/${org.id}/projects`, { name: "bench" });
  return (await post(`/projects/${project.id}/api-keys`, { label: "bench" })).key_value;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 30_000).unref();
  });
}

function row(name: string, r: LoadResult): string {
  return `${name.padEnd(44)} ${r.perSec.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  (${r.ok} ok, ${r.bad} refused)`;
}

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  console.log(`Mesher benchmarks: ${CONNECTIONS} connections, ${DURATION_MS} ms per run, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
  const { launcher, coldMs } = buildMesher();
  console.log(`meshc build mesher/ cold (whole process): ${coldMs.map((m) => m.toFixed(0)).join(", ")} ms (target <= 1000)`);
  rows.push({ name: "meshc build mesher/ cold (whole process, median of 3)", ours: median(coldMs), baseline: null, unit: "ms", target: "<= 1000" });

  if (DATABASE_URL) {
    const schema = `mesher_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`CREATE SCHEMA ${schema}`);
    const u = new URL(DATABASE_URL);
    u.searchParams.set("options", `-c search_path=${schema},public`);
    const mesher = await startMesher(launcher, { MESHER_DATABASE_URL: u.toString() });
    const key = await bootstrapKey(mesher.port);
    await admin.query(`CREATE TABLE ${schema}.naive_events (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), project_id uuid NOT NULL, message text NOT NULL, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`);
    const naivePort = await freePort();
    const naive = spawn(process.execPath, [fileURLToPath(import.meta.url), "naive-server", String(naivePort), DATABASE_URL, schema], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => naive.stdout!.once("data", () => resolve()));
    await load(naivePort, key, WARMUP_MS);
    const base = await load(naivePort, key, DURATION_MS);
    await load(mesher.port, key, WARMUP_MS);
    const ours = await load(mesher.port, key, DURATION_MS);
    console.log(row("naive node:http + pg (baseline)", base));
    console.log(row("Mesher on PostgreSQL", ours));
    console.log(`throughput ratio Mesher / baseline: ${(ours.perSec / base.perSec).toFixed(2)}x (target >= 1.0x, p99 <= 20 ms)`);
    rows.push({ name: "POST /api/v1/events on PostgreSQL vs naive node:http + pg", ours: ours.perSec, baseline: base.perSec, unit: "req/s", target: ">= 1.0x" });
    rows.push({ name: "  p50 latency", ours: ours.p50, baseline: base.p50, unit: "ms" });
    rows.push({ name: "  p99 latency", ours: ours.p99, baseline: base.p99, unit: "ms", target: "<= 20" });
    await stop(naive);
    await stop(mesher.child);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  } else {
    console.log("DATABASE_URL is not set: the PostgreSQL comparison is skipped");
  }

  const embedded = await startMesher(launcher, { MESHER_PGLITE_DIR: "memory://" });
  const idle = embedded.rss();
  const key = await bootstrapKey(embedded.port);
  await load(embedded.port, key, WARMUP_MS);
  const lite = await load(embedded.port, key, DURATION_MS);
  console.log(row("Mesher on embedded PGlite", lite));
  rows.push({ name: "POST /api/v1/events on embedded PGlite", ours: lite.perSec, baseline: null, unit: "req/s" });
  rows.push({ name: "  p50 / p99 latency (PGlite)", ours: lite.p50, baseline: lite.p99, unit: "ms" });
  // RSS_EVENTS events through the bulk endpoint (100 per request), then RSS again
  const bulk = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ message: `rss ${i % 10}`, extra: { i } })));
  const before = Date.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (sent < RSS_EVENTS / 100) {
        sent++;
        const r = await fetch(`http://127.0.0.1:${embedded.port}/api/v1/events/bulk`, { method: "POST", headers: { "X-Sentry-Auth": key }, body: bulk });
        await r.text();
      }
    }),
  );
  await sleep(6000); // one flush interval
  const after = embedded.rss();
  console.log(`RSS idle ${idle.toFixed(0)} MB; after ${RSS_EVENTS} events ${after.toFixed(0)} MB (ingested in ${((Date.now() - before) / 1000).toFixed(0)} s)`);
  rows.push({ name: "RSS of an idle node (PGlite in memory)", ours: idle, baseline: null, unit: "MB" });
  rows.push({ name: `RSS after ${RSS_EVENTS} events (in-memory database included)`, ours: after, baseline: null, unit: "MB" });
  await stop(embedded.child);
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const job = process.argv[2] === "naive-server" ? naiveServer(Number(process.argv[3]), process.argv[4], process.argv[5]) : run().then(() => undefined);
  job.catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
