// An in-memory transport for the distribution layer's unit tests: nodes in one process exchange
// bytes through queued deliveries that the test runs with `pump()`, so a test decides exactly
// when bytes arrive (and can stall a direction to fill a sender's output), or even picks which
// pending delivery runs next (`choices()` / `runAt()`, keeping each direction's bytes in order).
import type { ConnectResult, DistListener, DistSocket, ListenResult, Transport } from "./transport.js";

class MemSocket implements DistSocket {
  peer: MemSocket | null = null;
  private dataCb: ((c: Uint8Array) => void) | null = null;
  private closeCb: ((e: string | null) => void) | null = null;
  closed = false;
  /** Bytes written and not yet delivered to the peer. */
  pendingBytes = 0;
  /** While true, bytes written here stay queued (the peer "does not read"). */
  stalled = false;
  private held: Uint8Array[] = [];

  constructor(
    private readonly net: MemoryNetwork,
    readonly remoteLabel: string,
  ) {}

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    const copy = Uint8Array.from(bytes);
    this.pendingBytes += copy.length;
    this.net.bytesWritten += copy.length;
    this.net.writes++;
    if (this.stalled) {
      this.held.push(copy);
      return;
    }
    const n = this.net.chunkSize;
    if (copy.length <= n) this.net.enqueue(() => this.deliver(copy), this, this.peer);
    // cut into pieces, as TCP may
    else for (let i = 0; i < copy.length; i += n) {
      const piece = copy.subarray(i, Math.min(copy.length, i + n));
      this.net.enqueue(() => this.deliver(piece), this, this.peer);
    }
  }

  private deliver(chunk: Uint8Array): void {
    this.pendingBytes -= chunk.length;
    const p = this.peer;
    if (this.closed || p === null || p.closed) return;
    p.dataCb?.(chunk);
  }

  /** Delivers bytes to the peer right now, ahead of anything queued or held (a hostile peer). */
  inject(bytes: Uint8Array): void {
    const p = this.peer;
    if (!this.closed && p !== null && !p.closed) p.dataCb?.(Uint8Array.from(bytes));
  }

  /** Ends a stall: everything held is delivered in order. */
  resume(): void {
    this.stalled = false;
    const h = this.held;
    this.held = [];
    for (const c of h) this.net.enqueue(() => this.deliver(c), this, this.peer);
  }

  onData(cb: (chunk: Uint8Array) => void): void {
    this.dataCb = cb;
  }

  onClose(cb: (error: string | null) => void): void {
    this.closeCb = cb;
  }

  end(): void {
    // queued bytes go first: the close is queued behind them
    this.net.enqueue(() => this.destroy(), this, this);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.held = [];
    const p = this.peer;
    this.net.enqueue(() => this.closeCb?.(null), this, this);
    if (p !== null && !p.closed) {
      p.closed = true;
      this.net.enqueue(() => p.closeCb?.(null), this, p);
    }
  }
}

/** A queued event; events of one `chan` (a socket's outgoing direction) run in queue order. */
export interface Queued {
  run: () => void;
  chan: object | null;
  /** the socket whose side the event acts on (null: both sides, e.g. a TCP connect) */
  at: MemSocket | null;
  /** a node's deferred output flush (the end of its scheduler turn), not a network event */
  defer: boolean;
}

export class MemoryNetwork {
  private readonly listeners = new Map<string, (s: DistSocket) => void>();
  private queue: Queued[] = [];
  private nextPort = 40000;
  private nextClientPort = 50000;
  /** Every socket ever created, in creation order (tests stall or inspect them). */
  readonly sockets: MemSocket[] = [];
  bytesWritten = 0;
  writes = 0;
  /** Largest piece a write is delivered in (tests set it small to split frames). */
  chunkSize = Infinity;

  enqueue(f: () => void, chan: object | null = null, at: MemSocket | null = null, defer = false): void {
    this.queue.push({ run: f, chan, at, defer });
  }

  /** Runs queued deliveries (and what they queue) until none is left; returns how many ran. */
  pump(max = 1_000_000): number {
    let n = 0;
    while (this.queue.length > 0 && n < max) {
      const q = this.queue;
      this.queue = [];
      for (const f of q) {
        f.run();
        n++;
      }
    }
    return n;
  }

  /** Runs queued deferred flushes (and those they queue) until none is left, network events stay. */
  runDeferred(): void {
    for (let i = this.queue.findIndex((q) => q.defer); i >= 0; i = this.queue.findIndex((q) => q.defer)) {
      this.queue.splice(i, 1)[0]!.run();
    }
  }

  get hasDeferred(): boolean {
    return this.queue.some((q) => q.defer);
  }

  /** The queued network events that may run next: none overtakes an earlier one of its chan. */
  choices(): Queued[] {
    const seen = new Set<object>();
    const out: Queued[] = [];
    for (const q of this.queue) {
      if (q.defer) continue;
      if (q.chan === null) out.push(q);
      else if (!seen.has(q.chan)) {
        seen.add(q.chan);
        out.push(q);
      }
    }
    return out;
  }

  /** Runs one queued event (one of `choices()`) alone. */
  runOne(q: Queued): void {
    const i = this.queue.indexOf(q);
    if (i < 0) throw new Error("not queued");
    this.queue.splice(i, 1);
    q.run();
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }

  transport(): Transport & { defer(cb: () => void): void } {
    return {
      defer: (cb) => this.enqueue(cb, null, null, true),
      listen: (host: string, port: number, onSocket: (s: DistSocket) => void, done: (r: ListenResult) => void) => {
        const p = port === 0 ? this.nextPort++ : port;
        const key = `${host}:${p}`;
        if (this.listeners.has(key)) {
          done({ ok: false, error: "address in use" });
          return;
        }
        this.listeners.set(key, onSocket);
        const l: DistListener = { port: p, close: () => this.listeners.delete(key) };
        done({ ok: true, listener: l });
      },
      connect: (host: string, port: number, _timeoutMs: number, done: (r: ConnectResult) => void) => {
        this.enqueue(() => {
          const accept = this.listeners.get(`${host}:${port}`);
          if (accept === undefined) {
            done({ ok: false, error: "connection refused" });
            return;
          }
          const client = new MemSocket(this, `${host}:${port}`);
          const server = new MemSocket(this, `127.0.0.1:${this.nextClientPort++}`);
          client.peer = server;
          server.peer = client;
          this.sockets.push(client, server);
          accept(server);
          done({ ok: true, socket: client });
        });
      },
    };
  }
}

export type { MemSocket };
