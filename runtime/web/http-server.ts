// The HTTP server (stdlib.md §18.1, §29) on node:http. Each complete request is handed to a fresh
// process of our scheduler that runs the middleware chain and handler; the response is written
// when that process finishes. Limits, parser errors and crash isolation are handled here so that
// no request can take the server down.
import * as http from "node:http";
import * as https from "node:https";
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import type { Duplex } from "node:stream";
import { awaitPromise, holdAlive, self, spawn, writeErr } from "./host.js";
import type { Pid } from "../sched/index.js";
import { MeshRequest, latin1ToUtf8, splitTarget } from "./request.js";
import { INTERNAL_ERROR, MeshResponse, response, wireBytes, wireHead } from "./response.js";
import { runChain, type Router } from "./router.js";

export const MAX_BODY_BYTES = 16 * 1024 * 1024;
export const MAX_HEADER_BYTES = 8 * 1024;
export const MAX_HEADER_LINES = 100;
export const REQUEST_TIMEOUT_MS = 30_000;

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
  maxBodyBytes?: number;
}

export interface RunningHttpServer {
  readonly host: string;
  /** the bound port (useful with port 0) */
  readonly port: number;
  /** settles when the server has stopped listening */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

const PAYLOAD_TOO_LARGE = response(413, "Payload Too Large");
const BAD_REQUEST = response(400, "Bad Request");
const HEADERS_TOO_LARGE = response(431, "Request Header Fields Too Large");

/** Starts listening; rejects with the bind (or TLS) error. Runs outside any process. */
export function listenHttp(router: Router, opts: HttpServerOptions): Promise<RunningHttpServer> {
  const host = opts.host ?? "0.0.0.0";
  const keepAlive = opts.keepAlive ?? process.env.MESH_HTTP_KEEPALIVE === "1";
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const serverOpts: http.ServerOptions = {
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    headersTimeout: REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: 1000,
    keepAlive: false,
  };
  let server: http.Server;
  try {
    server = opts.tls ? https.createServer({ ...serverOpts, cert: opts.tls.cert, key: opts.tls.key }) : http.createServer(serverOpts);
  } catch (e) {
    return Promise.reject(e);
  }
  server.maxHeadersCount = MAX_HEADER_LINES;
  if (!keepAlive) server.keepAliveTimeout = 0;
  const onRequest = makeRequestListener(router, keepAlive, maxBody);
  server.on("request", onRequest);
  server.on("clientError", onClientError);

  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once("error", onError);
    try {
      server.listen(opts.port, host, () => {
        server.off("error", onError);
        const release = holdAlive();
        let resolveClosed!: () => void;
        const closed = new Promise<void>((r) => (resolveClosed = r));
        server.on("close", () => {
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
        resolve({
          host,
          port,
          closed,
          close() {
            server.close();
            server.closeAllConnections();
            return closed;
          },
        });
      });
    } catch (e) {
      reject(e);
    }
  });
}

function makeRequestListener(router: Router, keepAlive: boolean, maxBody: number) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.sendDate = false;
    const conn: "close" | "keep-alive" = keepAlive && req.headers.connection !== "close" && req.httpVersion !== "1.0" ? "keep-alive" : "close";
    const cl = req.headers["content-length"];
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (cl !== undefined && Number(cl) > maxBody) {
      reject(req, res, PAYLOAD_TOO_LARGE);
      return;
    }
    if (!chunked && (cl === undefined || cl === "0")) {
      dispatch(router, req, res, "", conn);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > maxBody) {
        tooLarge = true;
        chunks.length = 0;
        reject(req, res, PAYLOAD_TOO_LARGE);
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (!tooLarge) dispatch(router, req, res, (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString("utf8"), conn);
    });
    // A body cut short by the client (aborted) ends in 'close' without 'end': no response.
  };
}

function dispatch(router: Router, req: http.IncomingMessage, res: http.ServerResponse, body: string, conn: "close" | "keep-alive"): void {
  const [path, query] = splitTarget(latin1ToUtf8(req.url ?? "/"));
  const mreq = new MeshRequest(req.method ?? "GET", path, query, req.rawHeaders, body);
  spawn(requestProcess, [router, mreq, res, conn]);
}

/** The body of a request's process: a panic still answers 500, then crashes this process only. */
function* requestProcess(router: Router, mreq: MeshRequest, res: http.ServerResponse, conn: "close" | "keep-alive"): Generator<unknown, void, unknown> {
  let r: MeshResponse = INTERNAL_ERROR;
  watch(self(), res, conn);
  try {
    r = yield* runChain(router, mreq);
  } finally {
    send(res, r, conn);
  }
}

// A request process killed by an exit signal (a link to a crashing process, Process.exit) never
// reaches its `finally`; a slow sweep answers those requests with 500 instead of leaving them hanging.
const inflight = new Map<http.ServerResponse, { pid: Pid; conn: "close" | "keep-alive" }>();
let sweeper: NodeJS.Timeout | null = null;

function watch(pid: Pid, res: http.ServerResponse, conn: "close" | "keep-alive"): void {
  inflight.set(res, { pid, conn });
  sweeper ??= setInterval(sweep, 1000).unref();
}

function sweep(): void {
  for (const [res, { pid, conn }] of inflight) if (pid.proc === null) send(res, INTERNAL_ERROR, conn);
  if (inflight.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

function send(res: http.ServerResponse, r: MeshResponse, conn: "close" | "keep-alive"): void {
  inflight.delete(res);
  if (res.headersSent || res.destroyed) return;
  const w = wireHead(r, conn);
  res.writeHead(w.status, w.reason, w.headers);
  res.end(w.body);
}

/** Oversized body: answer 413 without calling the handler, then drop the connection. */
function reject(req: http.IncomingMessage, res: http.ServerResponse, r: MeshResponse): void {
  send(res, r, "close");
  res.on("finish", () => {
    // Give the client a moment to read the reply before the unread body makes the socket reset.
    const t = setTimeout(() => req.socket.destroy(), 200);
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
