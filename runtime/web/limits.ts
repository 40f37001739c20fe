// The web runtime's resource limits (README "Limits"), each overridable by an environment variable
// read when a server starts (or a client request is made), so a hostile or broken peer can never
// make the program buffer without bound or hold a connection forever.

export const MiB = 1024 * 1024;

/** Pending connections the kernel queues for accept (capped by net.core.somaxconn): a burst of
 * connections (a flood of slow clients) must not make a normal client's SYN wait for a retry. */
export const LISTEN_BACKLOG = 4096;

export interface WebLimits {
  /** largest request body (Content-Length or chunked); beyond it 413 */
  maxBodyBytes: number;
  /** request-body bytes buffered across all connections of a node; beyond it 503 + Retry-After */
  maxBufferedBodyBytes: number;
  /** time to receive the request line and headers (slowloris) */
  headerTimeoutMs: number;
  /** time to receive the whole request, body included */
  requestTimeoutMs: number;
  /** how long a kept-alive connection may sit idle between requests */
  idleTimeoutMs: number;
  /** largest response body `HTTP.get` / `HTTP.post` accept; beyond it an `Err` */
  clientMaxResponseBytes: number;
  /** WebSocket bytes queued for a client that does not read; beyond it the connection is closed (1008) */
  wsMaxBufferedBytes: number;
  /** WebSocket message bytes received but not yet handled; beyond it reading pauses */
  wsMaxQueuedBytes: number;
}

/** name, environment variable, default: the README's table lists the same. */
export const LIMIT_VARS: readonly [keyof WebLimits, string, number][] = [
  ["maxBodyBytes", "MESH_HTTP_MAX_BODY_BYTES", 8 * MiB],
  ["maxBufferedBodyBytes", "MESH_HTTP_MAX_BUFFERED_BYTES", 64 * MiB],
  ["headerTimeoutMs", "MESH_HTTP_HEADER_TIMEOUT_MS", 10_000],
  ["requestTimeoutMs", "MESH_HTTP_REQUEST_TIMEOUT_MS", 30_000],
  ["idleTimeoutMs", "MESH_HTTP_IDLE_TIMEOUT_MS", 5_000],
  ["clientMaxResponseBytes", "MESH_HTTP_CLIENT_MAX_RESPONSE_BYTES", 64 * MiB],
  ["wsMaxBufferedBytes", "MESH_WS_MAX_BUFFERED_BYTES", 4 * MiB],
  ["wsMaxQueuedBytes", "MESH_WS_MAX_QUEUED_BYTES", 16 * MiB],
];

/** The limits from the environment; a variable that is not a positive integer is ignored. */
export function webLimits(env: NodeJS.ProcessEnv = process.env): WebLimits {
  const out = {} as WebLimits;
  for (const [key, name, dflt] of LIMIT_VARS) {
    const raw = env[name];
    const n = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
    out[key] = Number.isSafeInteger(n) && n > 0 ? n : dflt;
  }
  return out;
}
