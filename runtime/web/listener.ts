// Listeners that return once bound (stdlib.md "HTTP.start / Ws.start", decision 77): a program that
// must bind to a chosen interface, learn why a bind failed, or close its listeners on shutdown uses
// these instead of `HTTP.serve` (which serves forever) and `Ws.serve` (which binds in the
// background). A listening server keeps the node alive until it is stopped.
import { awaitPromise } from "../sched/index.js";
import { Err, Ok, type Result } from "../core/builtin-types.js";
import { listenHttp } from "./http-server.js";
import { listenWs, type OnClose, type OnConnect, type OnMessage } from "./ws.js";
import type { Router } from "./router.js";

/** The Mesh `Listener`: a bound HTTP or WebSocket server of this node. */
export class Listener {
  static readonly localOnly = "Listener";
  constructor(
    readonly host: string,
    readonly port: number,
    private readonly closeServer: () => Promise<void>,
  ) {}
  stop(): Promise<void> {
    return this.closeServer();
  }
  toString(): string {
    return `#Listener<${this.host}:${this.port}>`;
  }
}

function reason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const text = e instanceof Error ? e.message : String(e);
  // node's bind errors read "listen EADDRINUSE: address already in use 0.0.0.0:8080"
  const m = /^listen \w+: (.*?)(?: \S+:\d+)?$/.exec(text);
  return m ? m[1]! : typeof code === "string" ? `${text} (${code})` : text;
}

/** How long `HTTP.stop` lets requests already being handled finish before closing their connections. */
const HTTP_DRAIN_MS = 5000;

/** `HTTP.start(router, host, port)` [S]: Ok once listening, Err(reason) if the bind fails. */
export function* httpStart(router: Router, host: string, port: number): Generator<unknown, Result<Listener, string>, unknown> {
  const r = yield* awaitPromise(listenHttp(router, { host, port }).then((s) => s, (e: unknown) => new BindFailure(reason(e))));
  if (r instanceof BindFailure) return new Err(r.reason);
  return new Ok(new Listener(r.host, r.port, () => r.close(HTTP_DRAIN_MS)));
}

/** `Ws.start(on_connect, on_message, on_close, host, port)` [S] */
export function* wsStart(onConnect: OnConnect, onMessage: OnMessage, onClose: OnClose, host: string, port: number): Generator<unknown, Result<Listener, string>, unknown> {
  const r = yield* awaitPromise(listenWs({ onConnect, onMessage, onClose }, { host, port }).then((s) => s, (e: unknown) => new BindFailure(reason(e))));
  if (r instanceof BindFailure) return new Err(r.reason);
  return new Ok(new Listener(r.host, r.port, () => r.close()));
}

/** `HTTP.stop(l)` / `Ws.stop(l)` [S]: stops accepting connections and returns once the listener is
 * closed. HTTP requests already being handled get up to 5 s to finish; WebSocket connections are
 * closed at once. */
export function* stop(l: Listener): Generator<unknown, undefined, unknown> {
  yield* awaitPromise(l.stop());
  return undefined;
}

export function port(l: Listener): number {
  return l.port;
}

class BindFailure {
  constructor(readonly reason: string) {}
}
