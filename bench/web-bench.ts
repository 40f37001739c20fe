// Web and database benchmarks: an HTTP server built with the Mesh web runtime (each request a
// process of our scheduler) against a plain node:http server doing the same small JSON POST echo,
// and the same with one parameterised INSERT per request into PostgreSQL (our Pool vs `pg`'s Pool)
// when DATABASE_URL is set. Each server runs in its own child process; the load generator here
// keeps 32 connections busy for a fixed time with raw sockets (cheap, so the server is what we
// measure). Default mode is the spec's wire format (one request per connection, Connection:
// close); the keep-alive rows use `keepAlive: true` on both sides.
import { spawn, type ChildProcess } from "node:child_process";
import * as net from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";

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

interface Server {
  child: ChildProcess;
  port: number;
  /** CPU time (µs) the server process has used so far */
  cpu(): Promise<number>;
}

function startServer(kind: "ours" | "plain", keepAlive: boolean, dbUrl = "", table = ""): Promise<Server> {
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

async function measure(kind: "ours" | "plain", keepAlive: boolean, dbUrl = "", table = ""): Promise<Measured> {
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

/** Alternates baseline and ours (twice each) and keeps each side's best run, so neither side
 * profits from warming up the load generator first. */
async function compare(keepAlive: boolean, dbUrl = "", table = ""): Promise<{ ours: Measured; baseline: Measured }> {
  const best = (a: Measured | null, b: Measured): Measured => (a === null ? b : { rps: Math.max(a.rps, b.rps), cpuPerReq: Math.min(a.cpuPerReq, b.cpuPerReq) });
  let ours: Measured | null = null;
  let baseline: Measured | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    baseline = best(baseline, await measure("plain", keepAlive, dbUrl, table));
    ours = best(ours, await measure("ours", keepAlive, dbUrl, table));
  }
  return { ours: ours!, baseline: baseline! };
}

function rowsFor(name: string, r: { ours: Measured; baseline: Measured }): WebBenchRow[] {
  return [
    { name: `${name}: throughput`, ours: r.ours.rps, baseline: r.baseline.rps, unit: "req/s", target: "ratio >= 0.8" },
    { name: `${name}: server CPU per request`, ours: r.ours.cpuPerReq, baseline: r.baseline.cpuPerReq, unit: "µs", target: "ratio <= 1.25" },
  ];
}

export async function run(): Promise<WebBenchRow[]> {
  const rows: WebBenchRow[] = [];
  for (const keepAlive of [false, true]) {
    const mode = keepAlive ? "keep-alive" : "Connection: close (spec wire format)";
    rows.push(...rowsFor(`HTTP JSON POST echo, ${CONNECTIONS} connections, ${mode}`, await compare(keepAlive)));
  }
  const url = process.env.DATABASE_URL || process.env.MESH_TEST_DATABASE_URL || "";
  if (url) {
    const table = `mesh_bench_events_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE TABLE IF NOT EXISTS ${table} (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
      for (const keepAlive of [false, true]) {
        const mode = keepAlive ? "keep-alive" : "Connection: close";
        rows.push(...rowsFor(`HTTP POST + 1 INSERT into PostgreSQL (pool of 10), ${CONNECTIONS} connections, ${mode}`, await compare(keepAlive, url, table)));
      }
    } finally {
      await admin.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await admin.end();
    }
  }
  return rows;
}
