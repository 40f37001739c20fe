// The WebSocket server (`Ws.*`, stdlib.md §20) on the `ws` package. Every accepted connection is
// one process of our scheduler that runs on_connect, then on_message once per message in arrival
// order, then on_close exactly once. Host callbacks only queue events for that process. Rooms are
// in rooms.ts; connections, rooms and handles (positive Ints never reused) belong to the node
// (state.ts). A connection whose process exits early is closed by the process's exit hook; a
// client that does not read what we send is closed once its send buffer passes the limit.
import * as http from "node:http";
import * as https from "node:https";
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { WebSocketServer, WebSocket, type RawData } from "ws";
import { ExitNow } from "./host.js";
import { awaitPromise, currentScheduler, onExit, reasonOf, writeErr, type Scheduler } from "./host.js";
import { LISTEN_BACKLOG, webLimits, type WebLimits } from "./limits.js";
import { latin1ToUtf8 } from "./request.js";
import { response, wireBytes } from "./response.js";
import { callMesh } from "./router.js";
import type { Rooms } from "./rooms.js";
import { webState, type WebState } from "./state.js";
import { strMapFromEntries } from "./values.js";

export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
export const HANDSHAKE_TIMEOUT_MS = 5_000;
export const PING_INTERVAL_MS = 30_000;
export const PONG_TIMEOUT_MS = 10_000;

const QUEUE_HIGH = 1024;
const QUEUE_LOW = 64;

const BAD_REQUEST_BYTES = wireBytes(response(400, "Bad Request"));

export type OnConnect = (conn: number, path: string, headers: unknown) => unknown;
export type OnMessage = (conn: number, text: string) => unknown;
export type OnClose = (conn: number, code: number, reason: string) => unknown;

interface Callbacks {
  onConnect: OnConnect;
  onMessage: OnMessage;
  onClose: OnClose;
}

type Event = { kind: "msg"; text: string } | { kind: "close" };

/** Grace given to a client closed for not reading before its socket is destroyed. */
const SLOW_CLIENT_GRACE_MS = 1000;

class Conn {
  /** set once the connection is rejected, closing or closed: sends fail from then on */
  closing = false;
  /** set once memberships are gone and the handle is unknown (before on_close runs) */
  forgotten = false;
  awaitingPong = false;
  /** the code on_close reports: 1000 for a peer-initiated close (spec), else the code we sent */
  closeCode = 1000;
  closeReason = "";
  private readonly queue: Event[] = [];
  private queuedBytes = 0;
  private paused = false;
  private waiter: ((ev: Event) => void) | null = null;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    private readonly limits: WebLimits,
  ) {}

  push(ev: Event): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(ev);
    } else {
      this.queue.push(ev);
      if (ev.kind === "msg") this.queuedBytes += ev.text.length;
      // a client that sends faster than on_message runs is slowed down, not buffered without bound
      if (!this.paused && (this.queue.length >= QUEUE_HIGH || this.queuedBytes > this.limits.wsMaxQueuedBytes)) {
        this.paused = true;
        this.ws.pause();
      }
    }
  }

  *next(): Generator<unknown, Event, unknown> {
    const ev = this.queue.shift();
    if (ev?.kind === "msg") this.queuedBytes -= ev.text.length;
    if (this.paused && this.queue.length <= QUEUE_LOW && this.queuedBytes <= this.limits.wsMaxQueuedBytes / 2) {
      this.paused = false;
      this.ws.resume();
    }
    if (ev) return ev;
    return yield* awaitPromise(new Promise<Event>((r) => (this.waiter = r)));
  }

  send(text: string): boolean {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return false;
    // backpressure: a client that does not read is dropped instead of buffered without bound
    if (this.ws.bufferedAmount > this.limits.wsMaxBufferedBytes) {
      this.close(1008, "send buffer limit exceeded");
      const t = setTimeout(() => this.ws.terminate(), SLOW_CLIENT_GRACE_MS);
      t.unref();
      return false;
    }
    this.ws.send(text);
    return true;
  }

  close(code: number, reason: string): void {
    if (!this.closing) {
      this.closeCode = code;
      this.closeReason = reason;
    }
    this.closing = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }
}

/** The room layer of the calling process's node (default); the distribution layer may set its
 * `forwarder`. */
export function roomsOf(sched: Scheduler = currentScheduler()): Rooms {
  return webState(sched).rooms;
}

/** Called by the distribution layer for a ROOM_BROADCAST from another node: local members only. */
export function deliverRemoteBroadcast(room: string, text: string, sched: Scheduler = currentScheduler()): void {
  roomsOf(sched).deliverLocal(room, text);
}

export interface WsServerOptions {
  port: number;
  host?: string;
  tls?: { cert: Buffer | string; key: Buffer | string };
  /** overrides of the limits read from the environment (limits.ts) */
  limits?: Partial<WebLimits>;
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
  const limits = { ...webLimits(), ...(opts.limits ?? {}) };
  const sched = currentScheduler();
  const state = webState(sched);
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
      accept(ws, req, cb, live, state, limits);
    });
  });

  // protocol keep-alive: a peer that stops answering pings is closed
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
      reject(e);
    };
    server.once("error", onError);
    try {
      server.listen({ port: opts.port, host, backlog: LISTEN_BACKLOG }, () => {
        server.off("error", onError);
        const release = sched.holdAlive();
        let resolveClosed!: () => void;
        const closed = new Promise<void>((r) => (resolveClosed = r));
        server.on("close", () => {
          clearInterval(heartbeat);
          state.servers.delete(running);
          release();
          resolveClosed();
        });
        server.on("error", (e) => {
          writeErr(`[mesh-rt] WebSocket server error: ${e.message}\n`);
          server.close();
        });
        const addr = server.address();
        const running: RunningWsServer = {
          host,
          port: typeof addr === "object" && addr ? addr.port : opts.port,
          closed,
          close() {
            server.close();
            for (const c of live) c.ws.terminate();
            server.closeAllConnections();
            return closed;
          },
        };
        state.servers.add(running);
        resolve(running);
      });
    } catch (e) {
      onError(e as Error);
    }
  });
}

function accept(ws: WebSocket, req: http.IncomingMessage, cb: Callbacks, live: Set<Conn>, state: WebState, limits: WebLimits): void {
  const c = new Conn(++state.lastWsConnId, ws, limits);
  state.wsConns.set(c.id, c);
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
  const pid = state.sched.spawn(connectionProcess, [c, path, strMapFromEntries(entries), cb, state]);
  // a process that exits early (panic outside the callbacks' handling, kill, exit signal) does not
  // leave a half-served connection behind
  onExit(pid, () => {
    if (c.forgotten) return;
    forget(state, c);
    c.close(1011, "internal error");
  });
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
function* connectionProcess(c: Conn, path: string, headers: unknown, cb: Callbacks, state: WebState): Generator<unknown, void, unknown> {
  let accepted: unknown;
  try {
    accepted = yield* callMesh(cb.onConnect, c.id, path, headers);
  } catch (e) {
    if (e instanceof ExitNow) throw e;
    logPanic("on_connect", c.id, e);
    forget(state, c);
    c.close(1011, "internal error");
    return;
  }
  if (accepted === 0 || accepted === undefined || accepted === false) {
    forget(state, c);
    c.close(1008, "rejected");
    return;
  }
  for (;;) {
    const ev = yield* c.next();
    if (ev.kind === "close") break;
    try {
      yield* callMesh(cb.onMessage, c.id, ev.text);
    } catch (e) {
      if (e instanceof ExitNow) throw e;
      logPanic("on_message", c.id, e);
      c.close(1011, "internal error");
      break;
    }
  }
  forget(state, c); // memberships go before on_close runs; Ws.send answers -1 from now on
  yield* callMesh(cb.onClose, c.id, c.closeCode, c.closeReason);
}

function forget(state: WebState, c: Conn): void {
  c.forgotten = true;
  c.closing = true;
  state.rooms.registry.leaveAll(c.id);
  state.wsConns.delete(c.id);
}

function okCode(conn: number): Conn | null {
  const c = webState().wsConns.get(conn) as Conn | undefined;
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
  const release = currentScheduler().holdAlive();
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
  roomsOf().registry.join(conn, room);
  return 0;
}

export function leave(conn: number, room: string): number {
  const st = webState();
  if (!st.wsConns.has(conn)) return -1;
  st.rooms.registry.leave(conn, room);
  return 0;
}

export function broadcast(room: string, text: string): number {
  return roomsOf().broadcast(room, text);
}

export function broadcastExcept(room: string, text: string, except: number): number {
  return roomsOf().broadcast(room, text, except);
}
