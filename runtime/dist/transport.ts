// The transport seam of the distribution layer (concurrency.md §7.2): byte-stream sockets and
// listeners. `tcpTransport` uses node:net (or node:tls when MESH_DIST_TLS=1); `MemoryNetwork`
// (memory-transport.ts) runs several nodes in one process for the unit tests.
import * as net from "node:net";
import * as tls from "node:tls";
import { readFileSync } from "node:fs";

/** One connected byte stream. Callbacks are set once by the connection that owns it. */
export interface DistSocket {
  /** `ip:port` of the other end, for log lines before the peer's name is known. */
  readonly remoteLabel: string;
  /** Queues bytes; never throws. */
  write(bytes: Uint8Array): void;
  /** Bytes accepted by write() but not yet handed to the OS / the peer. */
  readonly pendingBytes: number;
  onData(cb: (chunk: Uint8Array) => void): void;
  /** Called once when the stream ends for any reason (error text, or null for a clean close). */
  onClose(cb: (error: string | null) => void): void;
  /** Sends what is queued, then closes. */
  end(): void;
  /** Closes at once, dropping what is queued. */
  destroy(): void;
}

export interface DistListener {
  /** The bound port (the OS's choice for port 0). */
  readonly port: number;
  close(): void;
}

export type ListenResult = { ok: true; listener: DistListener } | { ok: false; error: string };
/** `afterTcp`: the TCP connection was made and TLS failed on it (a handshake failure, not -2). */
export type ConnectResult = { ok: true; socket: DistSocket } | { ok: false; error: string; afterTcp?: boolean };

export interface Transport {
  /** Binds `host:port`; `onSocket` receives every accepted connection. */
  listen(host: string, port: number, onSocket: (s: DistSocket) => void, done: (r: ListenResult) => void): void;
  /** Opens a connection; `done` is called once (success, refusal, or `timeoutMs` elapsed). */
  connect(host: string, port: number, timeoutMs: number, done: (r: ConnectResult) => void): void;
}

// ---- TCP (node:net / node:tls) ------------------------------------------------------------------

class NetSocket implements DistSocket {
  readonly remoteLabel: string;
  private closeCb: ((e: string | null) => void) | null = null;
  private closed = false;
  private error: string | null = null;

  constructor(private readonly s: net.Socket) {
    this.remoteLabel = `${s.remoteAddress ?? "?"}:${s.remotePort ?? "?"}`;
    s.setNoDelay(true);
    s.setKeepAlive(true);
    s.on("error", (e) => {
      this.error ??= e.message;
    });
    s.on("close", () => {
      if (this.closed) return;
      this.closed = true;
      this.closeCb?.(this.error);
    });
  }

  get pendingBytes(): number {
    return this.s.writableLength;
  }

  write(bytes: Uint8Array): void {
    if (this.closed || this.s.destroyed) return;
    this.s.write(bytes);
  }

  onData(cb: (chunk: Uint8Array) => void): void {
    this.s.on("data", cb);
  }

  onClose(cb: (error: string | null) => void): void {
    this.closeCb = cb;
  }

  end(): void {
    this.s.end();
  }

  destroy(): void {
    this.s.destroy();
  }
}

/** TLS material of §7.2, read at Node.start; null when TLS is off. */
export interface TlsConfig {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | null;
}

/** Reads MESH_DIST_TLS / _CERT / _KEY / _CA: null (TLS off), the config, or an error text. */
export function tlsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TlsConfig | null | string {
  if (env["MESH_DIST_TLS"] !== "1") return null;
  const certPath = env["MESH_DIST_CERT"];
  const keyPath = env["MESH_DIST_KEY"];
  if (!certPath || !keyPath) return "MESH_DIST_TLS=1 needs MESH_DIST_CERT and MESH_DIST_KEY";
  try {
    const caPath = env["MESH_DIST_CA"];
    return {
      cert: readFileSync(certPath),
      key: readFileSync(keyPath),
      ca: caPath ? readFileSync(caPath) : null,
    };
  } catch (e) {
    return (e as Error).message;
  }
}

export function tcpTransport(tlsConf: TlsConfig | null): Transport {
  return {
    listen(host, port, onSocket, done) {
      let settled = false;
      const server = tlsConf
        ? tls.createServer(
            {
              cert: tlsConf.cert,
              key: tlsConf.key,
              ca: tlsConf.ca ?? undefined,
              requestCert: tlsConf.ca !== null,
              rejectUnauthorized: tlsConf.ca !== null,
            },
            (s) => onSocket(new NetSocket(s)),
          )
        : net.createServer((s) => onSocket(new NetSocket(s)));
      server.on("error", (e) => {
        if (!settled) {
          settled = true;
          done({ ok: false, error: e.message });
        }
      });
      if (tlsConf) server.on("tlsClientError", () => {}); // a failed TLS handshake just drops that socket
      server.listen({ host: host.startsWith("[") ? host.slice(1, -1) : host, port, exclusive: true }, () => {
        if (settled) return;
        settled = true;
        const addr = server.address();
        const bound = typeof addr === "object" && addr !== null ? addr.port : port;
        // the listener must not keep the program alive by itself (§1.12: rule 5 decides)
        server.unref();
        done({ ok: true, listener: { port: bound, close: () => server.close() } });
      });
    },
    connect(host, port, timeoutMs, done) {
      let settled = false;
      const h = host.startsWith("[") ? host.slice(1, -1) : host;
      const s: net.Socket = tlsConf
        ? tls.connect({
            host: h,
            port,
            cert: tlsConf.cert,
            key: tlsConf.key,
            ca: tlsConf.ca ?? undefined,
            rejectUnauthorized: tlsConf.ca !== null,
            checkServerIdentity: () => undefined,
          })
        : net.connect({ host: h, port });
      const timer = setTimeout(() => finish({ ok: false, error: "connect timeout" }), timeoutMs);
      const finish = (r: ConnectResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        s.removeListener("error", onErr);
        if (!r.ok) s.destroy();
        done(r);
      };
      let tcpUp = false;
      if (tlsConf) s.once("connect", () => (tcpUp = true));
      const onErr = (e: Error): void => finish({ ok: false, error: e.message, afterTcp: tcpUp });
      s.on("error", onErr);
      // a TLS peer that closes without an error event (e.g. a plain-TCP node dropping our hello)
      if (tlsConf) s.once("close", () => finish({ ok: false, error: "connection closed during the TLS handshake", afterTcp: tcpUp }));
      s.once(tlsConf ? "secureConnect" : "connect", () => finish({ ok: true, socket: new NetSocket(s) }));
    },
  };
}
