// Mesher test harness: builds mesher/ once per test file (into a temporary copy, with the real
// `meshc build`), starts nodes as real OS processes on free ports with test-friendly environment,
// waits for `GET /api/v1/status` 200, bootstraps org/project/key (mesher.md §8), collects stdout
// lines with bounded waits, speaks HTTP (fetch or raw sockets) and WebSocket (`ws`) to the node,
// and stops everything (SIGTERM, then SIGKILL) from `stopAllMeshers()`.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import pg from "pg";
import WebSocket from "ws";
import { ROOT, MESHC, REAL_DATABASE_URL, RUN_ID, Stream, freePort, runProcess, withTimeout, sleep, rawHttp, httpRequest, withUrlParams, type RawReply } from "../e2e/harness.js";

export { sleep, withTimeout, rawHttp, httpRequest, freePort, ROOT, REAL_DATABASE_URL, RUN_ID };
export type { RawReply };

export const MESHER_SRC = path.join(ROOT, "mesher");

// ---- building ---------------------------------------------------------------------------------

let built: Promise<string> | null = null;
const tmpDirs: string[] = [];

/** Compiles mesher/ (a temporary copy) once per test file; resolves to the launcher path. */
export function buildMesher(): Promise<string> {
  if (!built) built = doBuild();
  return built;
}

async function doBuild(): Promise<string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesher-build-"));
  tmpDirs.push(tmp);
  const dir = path.join(tmp, "mesher");
  fs.cpSync(MESHER_SRC, dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}_build`) && !src.includes(`${path.sep}mesher-data`),
  });
  const r = await runProcess(process.execPath, [MESHC, "build", dir], { env: { NO_COLOR: "1" }, timeoutMs: 120_000 });
  if (r.status !== 0) throw new Error(`meshc build mesher failed (${r.status}):\n${r.stderr}${r.stdout}`);
  const launcher = path.join(dir, "mesher");
  if (!fs.existsSync(launcher)) throw new Error(`meshc build mesher wrote no launcher at ${launcher}`);
  return launcher;
}

/** A fresh temporary directory, removed by stopAllMeshers(). */
export function tempDir(prefix = "mesher-test-"): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

// ---- real PostgreSQL ----------------------------------------------------------------------------

/**
 * Environment that points a node at the real server of DATABASE_URL, inside its own schema
 * `<prefix>_<run id>` (created here; drop it with dropRealSchema). pgcrypto is one per database
 * and lives in one schema: it is created in `public` when missing, so no test schema dropped with
 * CASCADE takes it away; when another schema already holds it, that schema is searched too.
 */
export async function realDatabaseEnv(prefix: string): Promise<Record<string, string>> {
  const schema = `${prefix}_${RUN_ID}`;
  const c = new pg.Client({ connectionString: REAL_DATABASE_URL });
  await c.connect();
  try {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.query("CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public");
    const r = await c.query("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto'");
    const at: string = r.rows[0]?.nspname ?? "public";
    const path = at === "public" ? `${schema},public` : `${schema},public,${at}`;
    return { MESHER_DATABASE_URL: withUrlParams(REAL_DATABASE_URL, { options: `-c search_path=${path}` }) };
  } finally {
    await c.end();
  }
}

export async function dropRealSchema(prefix: string): Promise<void> {
  if (!REAL_DATABASE_URL) return;
  const c = new pg.Client({ connectionString: REAL_DATABASE_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${prefix}_${RUN_ID} CASCADE`);
  } finally {
    await c.end();
  }
}

/** The back-ends a scenario file runs on: PGlite always, the real server when DATABASE_URL is set. */
export function backends(prefix: string): [string, () => Promise<Record<string, string>>][] {
  const list: [string, () => Promise<Record<string, string>>][] = [["PGlite", async () => ({})]];
  if (REAL_DATABASE_URL) list.push(["PostgreSQL", () => realDatabaseEnv(prefix)]);
  return list;
}

// ---- output -----------------------------------------------------------------------------------

/** Collected output of one stream with bounded waits on complete lines, and line counts. */
export class Lines extends Stream {
  /** Number of complete lines equal to `line` (or matching the RegExp). */
  count(line: string | RegExp): number {
    return this.lines.filter((l) => (typeof line === "string" ? l === line : line.test(l))).length;
  }

  has(line: string | RegExp): boolean {
    return this.count(line) > 0;
  }
}

// ---- nodes ------------------------------------------------------------------------------------

const nodes = new Set<MesherNode>();

export interface StartMesherOptions {
  /** extra environment (overrides the test defaults below) */
  env?: Record<string, string>;
  /** variables removed from the environment (e.g. to test defaults) */
  unsetEnv?: string[];
  /** start with exactly this environment plus PATH/HOME (no test defaults at all) */
  bareEnv?: boolean;
  httpPort?: number;
  wsPort?: number;
  /** working directory of the process (default: a fresh temp dir) */
  cwd?: string;
  /** wait for GET /api/v1/status 200 (default true) */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

/** Test defaults of mesher.md §8: PGlite in memory, a temp journal, fast flushes. */
export function defaultEnv(): Record<string, string> {
  return {
    MESHER_PGLITE_DIR: "memory://",
    MESHER_JOURNAL_DIR: tempDir("mesher-journal-"),
    MESHER_WRITER_FLUSH_MS: "200",
  };
}

export class MesherNode {
  readonly stdout = new Lines();
  readonly stderr = new Lines();
  exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exitPromise: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly child: ChildProcess,
    readonly httpPort: number,
    readonly wsPort: number,
    readonly env: Record<string, string>,
  ) {
    child.stdout!.setEncoding("utf8").on("data", (d: string) => this.stdout.push(d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => this.stderr.push(d));
    this.exitPromise = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        this.exited = { code, signal };
        nodes.delete(this);
        this.stdout.push("");
        this.stderr.push("");
        resolve(this.exited);
      });
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  get base(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** Waits until stdout holds `line` (exact, or matching a RegExp) at least `count` times. */
  waitLine(line: string | RegExp, ms = 10_000, count = 1): Promise<void> {
    return this.stdout.waitFor(
      (ls) => ls.filter((l) => (typeof line === "string" ? l === line : line.test(l))).length >= count,
      ms,
      `stdout line ${String(line)} x${count}`,
      () => !this.alive,
    );
  }

  /** Polls GET /api/v1/status until it answers 200. */
  async waitReady(ms = 150_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (!this.alive) throw new Error(`mesher exited (${JSON.stringify(this.exited)}) before ready:\n${this.stdout.text}\n${this.stderr.text}`);
      try {
        const r = await fetch(`${this.base}/api/v1/status`, { signal: AbortSignal.timeout(2000) });
        await r.text();
        if (r.status === 200) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`mesher not ready after ${ms} ms:\n${this.stdout.text}\n${this.stderr.text}`);
      await sleep(100);
    }
  }

  /** JSON request: `body` objects are serialised, strings/Buffers are sent as they are. */
  async req(method: string, target: string, opts: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<ApiReply> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    let body: string | Buffer | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" || Buffer.isBuffer(opts.body) ? (opts.body as string | Buffer) : JSON.stringify(opts.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
    }
    const res = await fetch(this.base + target, { method, headers, body: body as BodyInit | undefined, signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
    const text = await res.text();
    let json: any = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      /* left undefined: the test decides whether that is a failure */
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  get(target: string, headers?: Record<string, string>): Promise<ApiReply> {
    return this.req("GET", target, { headers });
  }

  post(target: string, body?: unknown, headers?: Record<string, string>): Promise<ApiReply> {
    return this.req("POST", target, { body, headers });
  }

  /** POST /api/v1/events with `X-Sentry-Auth: key`. */
  ingest(key: string, event: unknown, headers: Record<string, string> = {}): Promise<ApiReply> {
    return this.post("/api/v1/events", event, { "X-Sentry-Auth": key, ...headers });
  }

  /** Opens a WebSocket to this node's WS port. */
  ws(pathAndQuery: string, headers?: Record<string, string>): Promise<WsClient> {
    return WsClient.connect(`ws://127.0.0.1:${this.wsPort}${pathAndQuery}`, headers);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit. */
  async stop(graceMs = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exited) return this.exited;
    const hard = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    this.child.kill("SIGTERM");
    const r = await this.exitPromise;
    clearTimeout(hard);
    return r;
  }

  /** SIGKILL (crash). */
  async kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exited) return this.exited;
    this.child.kill("SIGKILL");
    return this.exitPromise;
  }
}

export interface ApiReply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** Starts a Mesher node (build first with buildMesher) and waits until it is ready. */
export async function startMesher(opts: StartMesherOptions = {}): Promise<MesherNode> {
  const launcher = await buildMesher();
  const httpPort = opts.httpPort ?? (await freePort());
  let wsPort = opts.wsPort ?? (await freePort());
  while (wsPort === httpPort) wsPort = await freePort();
  const base: Record<string, string | undefined> = opts.bareEnv
    ? { PATH: process.env.PATH, HOME: process.env.HOME }
    : { ...process.env, ...defaultEnv() };
  // never let the test runner's own database URL leak into a PGlite node by accident
  if (!opts.bareEnv && !(opts.env && ("MESHER_DATABASE_URL" in opts.env || "DATABASE_URL" in opts.env))) {
    delete base.DATABASE_URL;
    delete base.MESHER_DATABASE_URL;
  }
  const env: Record<string, string | undefined> = { ...base, MESHER_HTTP_PORT: String(httpPort), MESHER_WS_PORT: String(wsPort), ...(opts.env ?? {}) };
  for (const k of opts.unsetEnv ?? []) delete env[k];
  const cwd = opts.cwd ?? tempDir("mesher-cwd-");
  const child = spawn(launcher, [], { env: env as NodeJS.ProcessEnv, cwd, stdio: ["ignore", "pipe", "pipe"] });
  const node = new MesherNode(child, Number(env.MESHER_HTTP_PORT), Number(env.MESHER_WS_PORT), env as Record<string, string>);
  nodes.add(node);
  if (opts.waitReady !== false) await node.waitReady(opts.readyTimeoutMs ?? 150_000);
  return node;
}

export interface Bootstrap {
  orgId: string;
  projectId: string;
  key: string;
  keyId: string;
}

let bootSeq = 0;

/** Bootstrap of mesher.md §8: org, project, API key; asserts the documented statuses. */
export async function bootstrap(node: MesherNode, opts: { slug?: string; orgId?: string; projectName?: string; headers?: Record<string, string> } = {}): Promise<Bootstrap> {
  const h = opts.headers;
  let orgId = opts.orgId;
  if (!orgId) {
    const slug = opts.slug ?? (bootSeq++ === 0 ? "acme" : `acme-${bootSeq}-${Date.now().toString(36)}`);
    const o = await node.post("/api/v1/orgs", { name: "Acme", slug }, h);
    if (o.status !== 201) throw new Error(`POST /api/v1/orgs -> ${o.status} ${o.text}`);
    orgId = o.json.id as string;
  }
  const p = await node.post(`/api/v1/orgs/${orgId}/projects`, { name: opts.projectName ?? "web" }, h);
  if (p.status !== 201) throw new Error(`POST /api/v1/orgs/${orgId}/projects -> ${p.status} ${p.text}`);
  const projectId = p.json.id as string;
  const k = await node.post(`/api/v1/projects/${projectId}/api-keys`, { label: "ci" }, h);
  if (k.status !== 201) throw new Error(`POST api-keys -> ${k.status} ${k.text}`);
  const key = k.json.key_value as string;
  if (!/^mshr_[0-9a-f]{48}$/.test(key)) throw new Error(`bad key ${key}`);
  return { orgId, projectId, key, keyId: k.json.id as string };
}

/** Polls `fn` until it returns a truthy value (resolves with it) or `ms` passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, ms = 10_000, what = "condition", stepMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await sleep(stepMs);
  }
}

/** Stops every node this file started (SIGTERM, then SIGKILL) and removes temp directories. */
export async function stopAllMeshers(): Promise<void> {
  await Promise.all([...nodes].map((n) => n.stop(3000)));
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  built = null;
}

// ---- WebSocket --------------------------------------------------------------------------------

/** A WebSocket client collecting parsed JSON messages, with bounded waits. */
export class WsClient {
  readonly messages: any[] = [];
  readonly raw: string[] = [];
  /** arrival time (Date.now()) of each entry of `messages` */
  readonly times: number[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly sock: WebSocket) {
    sock.on("message", (data) => {
      const s = data.toString();
      this.raw.push(s);
      this.times.push(Date.now());
      try {
        this.messages.push(JSON.parse(s));
      } catch {
        this.messages.push({ unparsable: s });
      }
      this.wake();
    });
    sock.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    sock.on("error", () => this.wake());
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Connects; resolves once open, or once closed during the handshake (check `closed`). */
  static connect(url: string, headers?: Record<string, string>): Promise<WsClient> {
    return withTimeout(
      new Promise<WsClient>((resolve, reject) => {
        const sock = new WebSocket(url, { headers });
        const c = new WsClient(sock);
        sock.once("open", () => resolve(c));
        sock.once("close", () => resolve(c));
        sock.once("unexpected-response", (_req, res) => {
          reject(new Error(`WebSocket upgrade refused with HTTP ${res.statusCode}`));
        });
        sock.once("error", (e) => {
          if (sock.readyState === WebSocket.CLOSED && !c.closed) reject(e);
        });
      }),
      10_000,
      `WebSocket connect ${url}`,
    );
  }

  send(v: unknown): void {
    this.sock.send(typeof v === "string" ? v : JSON.stringify(v));
  }

  /** Waits until some message satisfies `pred`; resolves with it. */
  waitMessage(pred: (m: any) => boolean, ms = 10_000, what = "message"): Promise<any> {
    return withTimeout(
      new Promise<any>((resolve, reject) => {
        const check = () => {
          const m = this.messages.find(pred);
          if (m !== undefined) return resolve(m);
          if (this.closed) return reject(new Error(`socket closed (${this.closed.code}) while waiting for ${what}; got ${JSON.stringify(this.messages)}`));
          this.waiters.push(check);
        };
        check();
      }),
      ms,
      `${what}; got ${JSON.stringify(this.messages).slice(0, 2000)}`,
    );
  }

  /** Waits for the close; resolves with its code. */
  waitClose(ms = 10_000): Promise<number> {
    return withTimeout(
      new Promise<number>((resolve) => {
        const check = () => {
          if (this.closed) return resolve(this.closed.code);
          this.waiters.push(check);
        };
        check();
      }),
      ms,
      "WebSocket close",
    );
  }

  ofType(t: string): any[] {
    return this.messages.filter((m) => m && m.type === t);
  }

  close(): void {
    if (!this.closed) this.sock.close();
  }
}
