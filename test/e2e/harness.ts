// End-to-end harness: compile a Mesh program under test/e2e/programs/<name>/ with the real CLI
// (`meshc build`, into a temporary copy so the source tree stays clean and runs never collide),
// start the launcher as a child process on a free loopback port, wait for its exact readiness
// line, and talk to it with real clients. Every wait is bounded; every child is killed by
// `stopAll()` (call it from afterAll) even when a test fails half-way.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const MESHC = path.join(ROOT, "bin/meshc.js");
export const PROGRAMS = path.join(ROOT, "test/e2e/programs");

/** Rejects after `ms` with a message naming what was awaited. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- building ---------------------------------------------------------------------------------

const built = new Map<string, Promise<string>>();
/** temporary build directories, removed by stopAll() */
const tmpDirs: string[] = [];

/** Compiles programs/<name> with `meshc build` (once per test file) and returns the launcher path. */
export function buildProgram(name: string): Promise<string> {
  let p = built.get(name);
  if (!p) {
    p = doBuild(name);
    built.set(name, p);
  }
  return p;
}

async function doBuild(name: string): Promise<string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-e2e-"));
  tmpDirs.push(tmp);
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(PROGRAMS, name), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}_build`) });
  const r = await runProcess(process.execPath, [MESHC, "build", dir], { env: { NO_COLOR: "1" }, timeoutMs: 60_000 });
  if (r.status !== 0) throw new Error(`meshc build ${name} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  const launcher = path.join(dir, name);
  if (!fs.existsSync(launcher)) throw new Error(`meshc build ${name} wrote no launcher at ${launcher}`);
  return launcher;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs a command to completion (killed after timeoutMs). */
export function runProcess(cmd: string, args: string[], opts: { env?: Record<string, string>; unsetEnv?: string[]; timeoutMs?: number; input?: string } = {}): Promise<ProcessResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...(opts.env ?? {}) };
  for (const k of opts.unsetEnv ?? []) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    track(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status, signal });
    });
    child.stdin!.on("error", () => {});
    child.stdin!.end(opts.input ?? "");
  });
}

/** Runs a built program (its launcher) to completion. */
export function runProgram(launcher: string, env: Record<string, string> = {}, opts: { unsetEnv?: string[]; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return runProcess(launcher, [], { env, unsetEnv: opts.unsetEnv, timeoutMs: opts.timeoutMs ?? 60_000 });
}

// ---- children ---------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  children.add(child);
  child.on("exit", () => children.delete(child));
}

/** Kills every child this test file started that is still running, waits for them to exit, and
 * removes the temporary build directories. Call it from the file's top-level afterAll. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => killChild(c)));
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  built.clear();
}

function killChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => c.kill("SIGKILL"), 3000);
    c.once("exit", () => {
      clearTimeout(hard);
      resolve();
    });
    c.kill("SIGTERM");
  });
}

/** A free TCP port on 127.0.0.1 (the OS picks it; released right away for the child to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Collected output of one stream, with bounded waits on its complete lines (shared by the
 * e2e, distribution and Mesher harnesses). */
export class Stream {
  text = "";
  protected waiters: (() => void)[] = [];

  push(s: string): void {
    this.text += s;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  get lines(): string[] {
    const ls = this.text.split("\n");
    ls.pop(); // the unterminated tail (or "" after the last LF)
    return ls;
  }

  /** Waits until the complete lines satisfy `pred` (rejects early once `closed()`). */
  waitFor(pred: (lines: string[]) => boolean, ms: number, what: string, closed: () => boolean): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pred(this.lines)) return resolve();
          if (closed()) return reject(new Error(`process exited while waiting for ${what}; output so far:\n${this.text}`));
          this.waiters.push(check);
        };
        check();
      }),
      ms,
      `${what}; output so far:\n${this.text.slice(-4000)}`,
    );
  }

  wake(): void {
    this.push("");
  }
}

export class Server {
  readonly stdout = new Stream();
  readonly stderr = new Stream();
  exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout!.setEncoding("utf8").on("data", (d: string) => this.stdout.push(d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => this.stderr.push(d));
    child.on("exit", (code, signal) => {
      this.exited = { code, signal };
      this.stdout.wake();
      this.stderr.wake();
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  /** Waits until stdout holds `line` as a complete line at least `count` times. */
  waitStdoutLine(line: string, count = 1, ms = 5000): Promise<void> {
    return this.stdout.waitFor((ls) => ls.filter((l) => l === line).length >= count, ms, `stdout line ${JSON.stringify(line)} x${count}`, () => !this.alive);
  }

  /** Waits until stderr has at least `n` complete lines. */
  waitStderrLines(n: number, ms = 5000): Promise<void> {
    return this.stderr.waitFor((ls) => ls.length >= n, ms, `${n} stderr lines`, () => !this.alive);
  }

  stop(): Promise<void> {
    return killChild(this.child);
  }
}

export interface StartOptions {
  /** extra environment; PORT is always set to the chosen port */
  env?: Record<string, string>;
  /** builds the exact readiness line from the port (the spec's lines name 0.0.0.0:<port>) */
  ready: (port: number) => string;
  /** which stream carries the readiness line (the runtime writes it to stderr, stdlib.md §18.1) */
  readyOn?: "stderr" | "stdout";
  timeoutMs?: number;
}

export const HTTP_READY = (port: number) => `[mesh-rt] HTTP server listening on 0.0.0.0:${port}`;
export const WS_READY = (port: number) => `[mesh-rt] WebSocket server listening on 0.0.0.0:${port}`;

/** Starts a built program on a free port and resolves once its exact readiness line appeared. */
export async function startServer(launcher: string, opts: StartOptions): Promise<Server> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(launcher, [], { env: { ...process.env, ...(opts.env ?? {}), PORT: String(port) }, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    track(child);
    const srv = new Server(child, port);
    const line = opts.ready(port);
    const stream = opts.readyOn === "stdout" ? srv.stdout : srv.stderr;
    try {
      await stream.waitFor((ls) => ls.includes(line), opts.timeoutMs ?? 20_000, `readiness line ${JSON.stringify(line)}`, () => !srv.alive);
      return srv;
    } catch (e) {
      await srv.stop();
      // the port may have been taken between freePort() and the child's bind: try another
      if (attempt < 2 && /EADDRINUSE/.test(srv.stderr.text)) continue;
      throw e;
    }
  }
}

// ---- raw HTTP ---------------------------------------------------------------------------------

export interface RawReply {
  /** the whole reply, latin1 */
  raw: string;
  statusLine: string;
  status: number;
  /** header lines in wire order, names as sent */
  headers: [string, string][];
  /** body bytes */
  bodyBytes: Buffer;
  body: string;
}

/** Sends `request` on a fresh connection to 127.0.0.1:port and reads until the server closes it. */
export function rawHttp(port: number, request: string | Buffer | Buffer[], timeoutMs = 10_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error("raw HTTP request timed out; received: " + JSON.stringify(Buffer.concat(chunks).toString("latin1").slice(0, 500))));
    }, timeoutMs);
    sock.on("data", (c: Buffer) => chunks.push(c));
    sock.on("error", () => {}); // a reset after the reply (unread request body) is fine
    sock.on("close", () => {
      clearTimeout(timer);
      resolve(parseReply(Buffer.concat(chunks)));
    });
    const parts = Array.isArray(request) ? request : [typeof request === "string" ? Buffer.from(request, "utf8") : request];
    for (const p of parts) sock.write(p, () => {});
  });
}

export function parseReply(buf: Buffer): RawReply {
  const sep = buf.indexOf("\r\n\r\n");
  const head = (sep < 0 ? buf : buf.subarray(0, sep)).toString("latin1");
  const bodyBytes = sep < 0 ? Buffer.alloc(0) : buf.subarray(sep + 4);
  const lines = head.split("\r\n");
  const headers = lines
    .slice(1)
    .filter((l) => l !== "")
    .map((l): [string, string] => {
      const i = l.indexOf(":");
      return [l.slice(0, i), l.slice(i + 1).trim()];
    });
  return { raw: buf.toString("latin1"), statusLine: lines[0] ?? "", status: Number(lines[0]?.split(" ")[1] ?? 0), headers, bodyBytes, body: bodyBytes.toString("utf8") };
}

/** A simple request in wire format: `Connection: close`, Content-Length when a body is given. */
export function httpRequest(method: string, target: string, opts: { headers?: [string, string][]; body?: string | Buffer } = {}): Buffer {
  const body = opts.body === undefined ? null : typeof opts.body === "string" ? Buffer.from(opts.body, "utf8") : opts.body;
  let head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
  for (const [k, v] of opts.headers ?? []) head += `${k}: ${v}\r\n`;
  if (body !== null) head += `Content-Length: ${body.length}\r\n`;
  head += "Connection: close\r\n\r\n";
  return body === null ? Buffer.from(head, "latin1") : Buffer.concat([Buffer.from(head, "latin1"), body]);
}

/** The default headers every response carries (stdlib.md §29.3), in wire order. */
export function defaultHeaders(body: string | Buffer): [string, string][] {
  return [
    ["Content-Type", "application/json; charset=utf-8"],
    ["Content-Length", String(Buffer.byteLength(body))],
    ["Connection", "close"],
  ];
}

// ---- fetch ------------------------------------------------------------------------------------

export interface FetchReply {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
}

/** `fetch` against 127.0.0.1 with a bounded wait. */
export async function get(port: number, target: string, init: RequestInit = {}, timeoutMs = 10_000): Promise<FetchReply> {
  const res = await fetch(`http://127.0.0.1:${port}${target}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, statusText: res.statusText, headers: res.headers, body: await res.text() };
}

// ---- databases ----------------------------------------------------------------------------------

/** The real PostgreSQL to test against (CI: scripts/ci-postgres.sh), or "" to skip that variant. */
export const REAL_DATABASE_URL = process.env.DATABASE_URL || "";

/** A name unique to this test run, usable as an SQL identifier. */
export const RUN_ID = `${process.pid}_${Date.now().toString(36)}`;

/** Adds query parameters (options, application_name) to a postgres:// URL. */
export function withUrlParams(url: string, params: Record<string, string>): string {
  const q = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return url + (url.includes("?") ? "&" : "?") + q;
}
