// The HTTP server (stdlib.md §18.1, §29) on node:http. Each complete request is handed to a fresh
// process of our scheduler that runs the middleware chain and handler; the response is written
// when that process finishes, or — through the process's exit hook — as 500 if it exits without
// answering (panic, kill, exit signal). Limits (limits.ts), parser errors and crash isolation are
// handled here so that no request or client can take the server down or make it buffer without
// bound.
import * as http from "node:http";
import * as https from "node:https";
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import type { Duplex } from "node:stream";
import { awaitPromise, currentScheduler, onExit, writeErr, type Scheduler } from "./host.js";
import { LISTEN_BACKLOG, webLimits, type WebLimits } from "./limits.js";
import { MeshRequest, latin1ToUtf8, splitTarget } from "./request.js";
import { INTERNAL_ERROR, MeshResponse, response, wireBytes, wireHead } from "./response.js";
import { runChain, type Router } from "./router.js";
import { webState, type WebState } from "./state.js";

export const MAX_HEADER_BYTES = 8 * 1024;
export const MAX_HEADER_LINES = 100;

export interface HttpServerOptions {
  port: number;
  /** interface to bind; the Mesh API always uses 0.0.0.0 */
  host?: string;
  tls?: { cert: Buffer | string; key: Buffer | string };
  /**
   * Keep connections open between requests (`Connection: keep-alive`). Off by default: the spec's
   * wire format is one request per connection with `Connection: close` (§29.1). Also enabled by
   * the environment variable MESH_HTTP_KEEPALIVE=1.
   */
  keepAlive?: boolean;
  /** overrides of the limits read from the environment (limits.ts) */
  limits?: Partial<WebLimits>;
}

export interface RunningHttpServer {
  readonly host: string;
  /** the bound port (useful with port 0) */
  readonly port: number;
  /** settles when the server has stopped listening */
  readonly closed: Promise<void>;
  /** Stops listening and closes every connection, or after `drainMs` those still busy. */
  close(drainMs?: number): Promise<void>;
}

const PAYLOAD_TOO_LARGE = response(413, "Payload Too Large");
const BAD_REQUEST = response(400, "Bad Request");
const HEADERS_TOO_LARGE = response(431, "Request Header Fields Too Large");
const OVERLOADED = new MeshResponse(503, "Service Unavailable", [["Retry-After", "1"]]);

type ConnMode = "close" | "keep-alive";

/** How long a refused upload's connection stays open after the reply (see `reject`). */
const REJECT_GRACE_MS = 1000;

/** What a request listener needs: the node it serves, its limits, its routes. */
interface Ctx {
  readonly router: Router;
  readonly keepAlive: boolean;
  readonly limits: WebLimits;
  readonly sched: Scheduler;
  readonly state: WebState;
}

/** Starts listening; rejects with the bind (or TLS) error. Runs outside any process. */
export function listenHttp(router: Router, opts: HttpServerOptions): Promise<RunningHttpServer> {
  const host = opts.host ?? "0.0.0.0";
  const keepAlive = opts.keepAlive ?? process.env.MESH_HTTP_KEEPALIVE === "1";
  const limits = { ...webLimits(), ...(opts.limits ?? {}) };
  const sched = currentScheduler();
  const ctx: Ctx = { router, keepAlive, limits, sched, state: webState(sched) };
  const serverOpts: http.ServerOptions = {
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout: limits.requestTimeoutMs,
    // node:http requires headersTimeout <= requestTimeout
    headersTimeout: Math.min(limits.headerTimeoutMs, limits.requestTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, limits.headerTimeoutMs),
    keepAlive: false,
  };
  let server: http.Server;
  try {
    server = opts.tls ? https.createServer({ ...serverOpts, cert: opts.tls.cert, key: opts.tls.key }) : http.createServer(serverOpts);
  } catch (e) {
    return Promise.reject(e);
  }
  server.maxHeadersCount = MAX_HEADER_LINES;
  server.keepAliveTimeout = keepAlive ? limits.idleTimeoutMs : 0;
  server.on("request", makeRequestListener(ctx));
  server.on("clientError", onClientError);

  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once("error", onError);
    try {
      server.listen({ port: opts.port, host, backlog: LISTEN_BACKLOG }, () => {
        server.off("error", onError);
        const release = sched.holdAlive();
        let resolveClosed!: () => void;
        const closed = new Promise<void>((r) => (resolveClosed = r));
        server.on("close", () => {
          ctx.state.servers.delete(running);
          release();
          resolveClosed();
        });
        // A listening server that fails later (rare) is closed rather than crashing the node.
        server.on("error", (e) => {
          writeErr(`[mesh-rt] HTTP server error: ${e.message}\n`);
          server.close();
        });
        const addr = server.address();
        const port = typeof addr === "object" && addr ? addr.port : opts.port;
        const running: RunningHttpServer = {
          host,
          port,
          closed,
          close(drainMs?: number) {
            server.close();
            if (drainMs === undefined || drainMs <= 0) server.closeAllConnections();
            else {
              // requests already being handled may finish; idle and late connections are closed
              server.closeIdleConnections();
              setTimeout(() => server.closeAllConnections(), drainMs).unref();
            }
            return closed;
          },
        };
        ctx.state.servers.add(running);
        resolve(running);
      });
    } catch (e) {
      reject(e);
    }
  });
}

function makeRequestListener(ctx: Ctx) {
  const { keepAlive, limits, state } = ctx;
  const maxBody = limits.maxBodyBytes;
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.sendDate = false;
    const conn: ConnMode = keepAlive && req.headers.connection !== "close" && req.httpVersion !== "1.0" ? "keep-alive" : "close";
    const cl = req.headers["content-length"];
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (cl !== undefined && Number(cl) > maxBody) {
      reject(req, res, PAYLOAD_TOO_LARGE);
      return;
    }
    if (!chunked && (cl === undefined || cl === "0")) {
      dispatch(ctx, req, res, "", conn);
      return;
    }
    if (state.bufferedBodyBytes >= limits.maxBufferedBodyBytes) {
      reject(req, res, OVERLOADED);
      return;
    }
    // The body is buffered (handlers get it as one string); every byte held counts against the
    // node's budget until the request is dispatched, rejected or abandoned.
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const giveBack = (): void => {
      if (done) return;
      done = true;
      state.bufferedBodyBytes -= size;
      chunks.length = 0;
    };
    req.on("data", (c: Buffer) => {
      if (done) return;
      size += c.length;
      state.bufferedBodyBytes += c.length;
      if (size > maxBody) {
        giveBack();
        reject(req, res, PAYLOAD_TOO_LARGE);
      } else if (state.bufferedBodyBytes > limits.maxBufferedBodyBytes) {
        giveBack();
        reject(req, res, OVERLOADED);
      } else chunks.push(c);
    });
    req.on("end", () => {
      if (done) return;
      const body = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString("utf8");
      giveBack();
      dispatch(ctx, req, res, body, conn);
    });
    // A body cut short by the client (aborted, timed out) ends in 'close' without 'end': no response.
    req.on("close", giveBack);
  };
}

function dispatch(ctx: Ctx, req: http.IncomingMessage, res: http.ServerResponse, body: string, conn: ConnMode): void {
  const [path, query] = splitTarget(latin1ToUtf8(req.url ?? "/"));
  const mreq = new MeshRequest(req.method ?? "GET", path, query, req.rawHeaders, body);
  const pid = ctx.sched.spawn(requestProcess, [ctx.router, mreq, res, conn]);
  // however the process ends, the request is answered: 500 unless the handler's response went out
  onExit(pid, () => send(res, INTERNAL_ERROR, conn));
}

/** The body of a request's process; a panic crashes this process only (its exit hook answers 500). */
function* requestProcess(router: Router, mreq: MeshRequest, res: http.ServerResponse, conn: ConnMode): Generator<unknown, void, unknown> {
  send(res, yield* runChain(router, mreq), conn);
}

function send(res: http.ServerResponse, r: MeshResponse, conn: ConnMode): void {
  if (res.headersSent || res.destroyed) return;
  const w = wireHead(r, conn);
  res.writeHead(w.status, w.reason, w.headers);
  res.end(w.body);
}

/** Oversized body (413) or over the node's body budget (503): answer without calling the handler,
 * then drop the connection (its body is no longer read, never buffered). */
function reject(req: http.IncomingMessage, res: http.ServerResponse, r: MeshResponse): void {
  send(res, r, "close");
  // stop reading the body: a flood of refused uploads must not cost CPU or memory
  req.socket.pause();
  res.on("finish", () => {
    // Give the client a moment to read the reply before the unread body makes the socket reset
    // (the socket is paused meanwhile, so waiting costs only kernel buffers).
    const t = setTimeout(() => req.socket.destroy(), REJECT_GRACE_MS);
    t.unref();
  });
}

/** Parser-level failures (bad request line, oversized headers, timeouts): never reach a handler. */
function onClientError(err: Error & { code?: string }, socket: Duplex): void {
  const code = err.code ?? "";
  const pending = (socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage;
  if (!socket.writable || code === "ECONNRESET" || code === "ERR_HTTP_REQUEST_TIMEOUT" || code === "HPE_HEADERS_TIMEOUT" || code === "HPE_INVALID_EOF_STATE" || pending?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(wireBytes(code === "HPE_HEADER_OVERFLOW" ? HEADERS_TOO_LARGE : BAD_REQUEST));
}

function errorReason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `HTTP.serve(router, port)` [S]: serves forever; returns () only if the bind fails. */
export function* serve(router: Router, port: number): Generator<unknown, undefined, unknown> {
  return yield* serveWith(router, port, undefined);
}

/** `HTTP.serve_tls(router, port, cert_pem, key_pem)` [S]: the PEM arguments are file paths. */
export function* serveTls(router: Router, port: number, certPem: string, keyPem: string): Generator<unknown, undefined, unknown> {
  let tls: { cert: Buffer; key: Buffer };
  try {
    tls = { cert: readFileSync(certPem), key: readFileSync(keyPem) };
    createSecureContext(tls); // validates the PEM contents now, so later errors are bind errors
  } catch (e) {
    writeErr(`[mesh-rt] Failed to load TLS certificates: ${errorReason(e)}\n`);
    return undefined;
  }
  return yield* serveWith(router, port, tls);
}

function* serveWith(router: Router, port: number, tls: { cert: Buffer; key: Buffer } | undefined): Generator<unknown, undefined, unknown> {
  const started = yield* awaitPromise(
    listenHttp(router, { port, tls }).then(
      (s) => s,
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    ),
  );
  const kind = tls ? "HTTPS" : "HTTP";
  if (started instanceof Error) {
    writeErr(`[mesh-rt] Failed to start ${kind} server on 0.0.0.0:${port}: ${started.message}\n`);
    return undefined;
  }
  writeErr(`[mesh-rt] ${kind} server listening on ${started.host}:${started.port}\n`);
  yield* awaitPromise(started.closed);
  return undefined;
}
