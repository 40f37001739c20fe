// Child process of bench/web-bench.ts: one HTTP server per run, either built with the Mesh web
// runtime (`ours`) or on plain node:http (`plain`), answering a small JSON POST echo, optionally
// with one parameterised INSERT per request (`--db URL`: our Pool vs the `pg` package's Pool).
// Prints `READY <port>` on stdout once listening.
import * as http from "node:http";
import pg from "pg";
import { HTTP, Request, listenHttp } from "../runtime/web/index.js";
import type { MeshRequest } from "../runtime/web/request.js";
import { Pool, type PoolHandle } from "../runtime/db/index.js";
import { List } from "../runtime/core/list.js";
import { Ok } from "../runtime/core/builtin-types.js";
import { spawn } from "../runtime/sched/index.js";

const [kind, keepAliveArg, dbUrl, table] = process.argv.slice(2);
const keepAlive = keepAliveArg === "ka";
const POOL_MAX = 10;

function echo(body: string): string {
  const v = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify({ ok: true, echo: v });
}

async function startOurs(): Promise<number> {
  let r = HTTP.router();
  if (dbUrl) {
    const pool = await new Promise<PoolHandle>((resolve, reject) =>
      spawn(function* () {
        const opened = yield* Pool.open(dbUrl, 2, POOL_MAX, 5000);
        if (opened instanceof Ok) resolve(opened._0);
        else reject(new Error(String(opened._0)));
      }),
    );
    r = HTTP.on_post(r, "/echo", function* (req: MeshRequest) {
      const body = Request.body(req);
      const out = echo(body);
      const n = yield* Pool.execute(pool, `INSERT INTO ${table} (payload) VALUES ($1)`, List.fromArray([body]));
      return n instanceof Ok ? HTTP.response(201, out) : HTTP.response(500, String(n._0));
    });
  } else {
    r = HTTP.on_post(r, "/echo", (req: MeshRequest) => HTTP.response(200, echo(Request.body(req))));
  }
  const s = await listenHttp(r, { port: 0, host: "127.0.0.1", keepAlive });
  return s.port;
}

async function startPlain(): Promise<number> {
  const pool = dbUrl ? new pg.Pool({ connectionString: dbUrl, max: POOL_MAX }) : null;
  const server = http.createServer({ keepAlive }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const send = (status: number, out: string) => {
        const b = Buffer.from(out);
        res.sendDate = false;
        res.writeHead(status, {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Length": b.length,
          Connection: keepAlive ? "keep-alive" : "close",
        });
        res.end(b);
      };
      let out: string;
      try {
        out = echo(body);
      } catch {
        send(500, "Internal Server Error");
        return;
      }
      if (!pool) send(200, out);
      else
        pool.query(`INSERT INTO ${table} (payload) VALUES ($1)`, [body]).then(
          () => send(201, out),
          (e: Error) => send(500, e.message),
        );
    });
  });
  if (!keepAlive) server.keepAliveTimeout = 0;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as { port: number }).port;
}

const port = kind === "ours" ? await startOurs() : await startPlain();
// SIGUSR2: report the CPU time used so far (µs), so the driver can compute CPU per request
process.on("SIGUSR2", () => {
  const u = process.cpuUsage();
  process.stdout.write(`CPU ${u.user + u.system}\n`);
});
// exit normally on a signal (lets --cpu-prof write its profile when profiling a run by hand)
process.on("SIGINT", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
process.stdout.write(`READY ${port}\n`);
