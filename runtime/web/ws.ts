// The WebSocket server (`Ws.*`, stdlib.md §20) on the `ws` package. Every accepted connection is
// one process of our scheduler that runs on_connect, then on_message once per message in arrival
// order, then on_close exactly once. Host callbacks only queue events for that process. Rooms are
// in rooms.ts; connection handles are positive Ints never reused within the program.
import * as http from "node:http";
import * as https from "node:https";
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { WebSocketServer, WebSocket, type RawData } from "ws";
import { ExitNow } from "./host.js";
import { awaitPromise, holdAlive, reasonOf, self, spawn, writeErr } from "./host.js";
import type { Pid } from "../sched/index.js";
import { latin1ToUtf8 } from "./request.js";
import { response, wireBytes } from "./response.js";
import { callMesh } from "./router.js";
import { LocalRoomRegistry, Rooms } from "./rooms.js";
import { strMapFromEntries } from "./values.js";

export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
export const HANDSHAKE_TIMEOUT_MS = 5_000;
export const PING_INTERVAL_MS = 30_000;
export const PONG_TIMEOUT_MS = 10_000;

const QUEUE_HIGH = 1024;
const QUEUE_LOW = 64;

const BAD_REQUEST_BYTES = wireBytes(response(400, "Bad Request"));

type OnConnect = (conn: number, path: string, headers: unknown) => unknown;
type OnMessage = (conn: number, text: string) => unknown;
type OnClose = (conn: number, code: number, reason: string) => unknown;

interface Callbacks {
  onConnect: OnConnect;
  onMessage: OnMessage;
  onClose: OnClose;
}

type Event = { kind: "msg"; text: string } | { kind: "close" };

class Conn {
  /** set once the connection is rejected, closing or closed: sends fail from then on */
  closing = false;
  /** set once memberships are gone and the handle is unknown (before on_close runs) */
  forgotten = false;
  awaitingPong = false;
  /** the connection's process, once it runs */
  pid: Pid | null = null;
  private readonly queue: Event[] = [];
  private paused = false;
  private waiter: ((ev: Event) => void) | null = null;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
  ) {}

  push(ev: Event): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(ev);
    } else {
      this.queue.push(ev);
      // a client that sends faster than on_message runs is slowed down, not buffered without bound
      if (this.queue.length === QUEUE_HIGH && !this.paused) {
        this.paused = true;
        this.ws.pause();
      }
    }
  }

  *next(): Generator<unknown, Event, unknown> {
    const ev = this.queue.shift();
    if (this.paused && this.queue.length <= QUEUE_LOW) {
      this.paused = false;
      this.ws.resume();
    }
    if (ev) return ev;
    return yield* awaitPromise(new Promise<Event>((r) => (this.waiter = r)));
  }

  send(text: string): boolean {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  close(code: number, reason: string): void {
    this.closing = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }
}

let lastConnId = 0;
const conns = new Map<number, Conn>();

/** The node's room layer; the distribution layer may set `rooms.forwarder`. */
export const rooms = new Rooms(new LocalRoomRegistry(), (conn, text) => {
  const c = conns.get(conn);
  if (!c || c.closing) return true; // closing members are skipped, not counted as failures
  return c.send(text);
});

/** Called by the distribution layer for a ROOM_BROADCAST from another node: local members only. */
export function deliverRemoteBroadcast(room: string, text: string): void {
  rooms.deliverLocal(room, text);
}

export interface WsServerOptions {
  port: number;
  host?: string;
  tls?: { cert: Buffer | string; key: Buffer | string };
}

export interface RunningWsServer {
  readonly host: string;
  readonly port: number;
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** Starts a WebSocket server; rejects with the bind error. Runs outside any process. */
export function listenWs(cb: Callbacks, opts: WsServerOptions): Promise<RunningWsServer> {
  const host = opts.host ?? "0.0.0.0";
  const serverOpts: http.ServerOptions = { headersTimeout: HANDSHAKE_TIMEOUT_MS, requestTimeout: HANDSHAKE_TIMEOUT_MS, keepAlive: false };
  let server: http.Server;
  try {
    server = opts.tls ? https.createServer({ ...serverOpts, cert: opts.tls.cert, key: opts.tls.key }) : http.createServer(serverOpts);
  } catch (e) {
    return Promise.reject(e);
  }
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
  const live = new Set<Conn>();

  server.on("request", (_req, res) => {
    // not an upgrade: 400 and close, no callback runs
    res.socket?.end(BAD_REQUEST_BYTES);
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end(BAD_REQUEST_BYTES);
    else socket.destroy();
  });
  server.on("upgrade", (req: http.IncomingMessage, socket, head) => {
    const timer = setTimeout(() => socket.destroy(), HANDSHAKE_TIMEOUT_MS);
    timer.unref();
    socket.on("error", () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => {
      clearTimeout(timer);
      accept(ws, req, cb, live);
    });
  });

  // A connection process killed by an exit signal never runs its `finally`: close such connections.
  const reaper = setInterval(() => {
    for (const c of live) {
      if (c.pid !== null && c.pid.proc === null && !c.forgotten) {
        forget(c);
        c.close(1011, "internal error");
      }
    }
  }, 1000);
  reaper.unref();

  const heartbeat = setInterval(() => {
    for (const c of live) {
      if (c.closing) continue;
      c.awaitingPong = true;
      c.ws.ping();
      const t = setTimeout(() => {
        if (c.awaitingPong && !c.closing) {
          c.ws.close(1001, "ping timeout");
          setTimeout(() => c.ws.terminate(), 1000).unref();
        }
      }, PONG_TIMEOUT_MS);
      t.unref();
    }
  }, PING_INTERVAL_MS);
  heartbeat.unref();

  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      clearInterval(heartbeat);
      clearInterval(reaper);
      reject(e);
    };
    server.once("error", onError);
    try {
      server.listen(opts.port, host, () => {
        server.off("error", onError);
        const release = holdAlive();
        let resolveClosed!: () => void;
        const closed = new Promise<void>((r) => (resolveClosed = r));
        server.on("close", () => {
          clearInterval(heartbeat);
          clearInterval(reaper);
          release();
          resolveClosed();
        });
        server.on("error", (e) => {
          writeErr(`[mesh-rt] WebSocket server error: ${e.message}\n`);
          server.close();
        });
        const addr = server.address();
        resolve({
          host,
          port: typeof addr === "object" && addr ? addr.port : opts.port,
          closed,
          close() {
            server.close();
            for (const c of live) c.ws.terminate();
            server.closeAllConnections();
            return closed;
          },
        });
      });
    } catch (e) {
      onError(e as Error);
    }
  });
}

function accept(ws: WebSocket, req: http.IncomingMessage, cb: Callbacks, live: Set<Conn>): void {
  const c = new Conn(++lastConnId, ws);
  conns.set(c.id, c);
  live.add(c);
  ws.on("message", (data: RawData, _isBinary: boolean) => c.push({ kind: "msg", text: rawToText(data) }));
  ws.on("close", () => {
    c.closing = true;
    live.delete(c);
    c.push({ kind: "close" });
  });
  ws.on("error", () => {
    // protocol errors (invalid UTF-8: 1007, too big: 1009) are answered by `ws`; 'close' follows
  });
  ws.on("pong", () => (c.awaitingPong = false));
  const path = latin1ToUtf8(req.url ?? "/");
  const raw = req.rawHeaders;
  const entries: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) entries.push([raw[i].toLowerCase(), latin1ToUtf8(raw[i + 1])]);
  spawn(connectionProcess, [c, path, strMapFromEntries(entries), cb]);
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString("utf8");
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data).toString("utf8");
}

function logPanic(what: string, conn: number, e: unknown): void {
  writeErr(`[mesh-rt] WebSocket ${what} panicked on connection ${conn}: ${reasonOf(e)}\n`);
}

/** One connection's process (§20.1). */
function* connectionProcess(c: Conn, path: string, headers: unknown, cb: Callbacks): Generator<unknown, void, unknown> {
  let finished = false;
  c.pid = self();
  try {
    let accepted: unknown;
    try {
      accepted = yield* callMesh(cb.onConnect, c.id, path, headers);
    } catch (e) {
      if (e instanceof ExitNow) throw e;
      logPanic("on_connect", c.id, e);
      forget(c);
      c.close(1011, "internal error");
      finished = true;
      return;
    }
    if (accepted === 0 || accepted === undefined || accepted === false) {
      forget(c);
      c.close(1008, "rejected");
      finished = true;
      return;
    }
    let code = 1000;
    let reason = "";
    for (;;) {
      const ev = yield* c.next();
      if (ev.kind === "close") break;
      try {
        yield* callMesh(cb.onMessage, c.id, ev.text);
      } catch (e) {
        if (e instanceof ExitNow) throw e;
        logPanic("on_message", c.id, e);
        code = 1011;
        reason = "internal error";
        c.close(1011, "internal error");
        break;
      }
    }
    forget(c); // memberships go before on_close runs; Ws.send answers -1 from now on
    finished = true;
    yield* callMesh(cb.onClose, c.id, code, reason);
  } finally {
    if (!finished) {
      // the process was killed or exited early: do not leave a half-served connection behind
      forget(c);
      c.close(1011, "internal error");
    }
  }
}

function forget(c: Conn): void {
  c.forgotten = true;
  c.closing = true;
  rooms.registry.leaveAll(c.id);
  conns.delete(c.id);
}

function okCode(conn: number): Conn | null {
  const c = conns.get(conn);
  return c && !c.closing ? c : null;
}

/** `Ws.serve(on_connect, on_message, on_close, port)`: returns at once; the bind completes later. */
export function serve(onConnect: OnConnect, onMessage: OnMessage, onClose: OnClose, port: number): undefined {
  startInBackground({ onConnect, onMessage, onClose }, port, undefined);
  return undefined;
}

/** `Ws.serve_tls(on_connect, on_message, on_close, port, cert_pem, key_pem)` [EXT] */
export function serveTls(onConnect: OnConnect, onMessage: OnMessage, onClose: OnClose, port: number, certPem: string, keyPem: string): undefined {
  let tls: { cert: Buffer; key: Buffer };
  try {
    tls = { cert: readFileSync(certPem), key: readFileSync(keyPem) };
    createSecureContext(tls);
  } catch (e) {
    writeErr(`[mesh-rt] Failed to load TLS certificates: ${reasonOf(e)}\n`);
    return undefined;
  }
  startInBackground({ onConnect, onMessage, onClose }, port, tls);
  return undefined;
}

function startInBackground(cb: Callbacks, port: number, tls: { cert: Buffer; key: Buffer } | undefined): void {
  // Held from the call on, so a program whose main only calls Ws.serve never exits before binding.
  const release = holdAlive();
  listenWs(cb, { port, tls }).then(
    (s) => {
      writeErr(`[mesh-rt] WebSocket server listening on ${s.host}:${s.port}\n`);
      release();
    },
    (e: unknown) => {
      writeErr(`[mesh-rt] Failed to start WebSocket server on 0.0.0.0:${port}: ${reasonOf(e)}\n`);
      release();
    },
  );
}

/** `Ws.send(conn, text)`: 0 when queued, -1 for an unknown or closing connection. */
export function send(conn: number, text: string): number {
  const c = okCode(conn);
  return c && c.send(text) ? 0 : -1;
}

export function join(conn: number, room: string): number {
  const c = okCode(conn);
  if (!c) return -1;
  rooms.registry.join(conn, room);
  return 0;
}

export function leave(conn: number, room: string): number {
  if (!conns.has(conn)) return -1;
  rooms.registry.leave(conn, room);
  return 0;
}

export function broadcast(room: string, text: string): number {
  return rooms.broadcast(room, text);
}

export function broadcastExcept(room: string, text: string, except: number): number {
  return rooms.broadcast(room, text, except);
}
