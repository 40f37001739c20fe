// One connection between two nodes (concurrency.md §7.3, §7.7, §7.8): splitting the byte stream
// into frames with the limits of the current phase, the handshake, output batched into one socket
// write per scheduler turn, TICK heartbeats and the silence timeout, the 64 MiB output limit, BYE,
// and turning every error raised by network input into a logged close (never an exception).
import type { Clock } from "../sched/clock.js";
import { Handshake, HANDSHAKE_TIMEOUT_MS, type HandshakeHost, type HsStep } from "./handshake.js";
import type { DistSocket } from "./transport.js";
import { ByteReader, ByteWriter, decodeFrame, encodeFrameTo, encodeSendTo, FRAME_MAX, HANDSHAKE_MAX, K, MalformedFrame, type Frame, type OutFrame, type PidCodec, type Term } from "./wire.js";
import { decodeTerm } from "./codec.js";

const NO_BYTES = new Uint8Array(0);
const sendReader = new ByteReader(NO_BYTES); // input handling is synchronous and not re-entered

export const OUTPUT_LIMIT = 64 * 1024 * 1024;

/** What a connection needs from its node. */
export interface ConnOwner {
  readonly clock: Clock;
  readonly pids: PidCodec;
  readonly tickMs: number;
  readonly timeoutMs: number;
  /** This node's identity for the handshake (read when the handshake needs it). */
  readonly name: string;
  readonly creation: number;
  readonly cookie: string;
  /** Acceptor: a HELLO from `peerName` arrived; null to go on, else a REJECT code. */
  admit(c: Connection, peerName: string, peerCreation: number): number | null;
  /** Runs `cb` once the current scheduler turn is over (output batching). */
  defer(cb: () => void): void;
  log(line: string): void;
  /** The handshake succeeded: the session is up (its initial frames are sent by the owner). */
  established(c: Connection): void;
  /** The handshake ended without a session (initiator: `code` is the peer's REJECT code, if any). */
  handshakeFailed(c: Connection, reason: string, rejectCode: number | null): void;
  /** A frame of an established session. */
  frame(c: Connection, f: Frame): void;
  /** A SEND frame of an established session (decoded without a frame object). */
  message(c: Connection, toId: number, toCreation: number, msg: Term): void;
  /** The connection is gone; `established` tells whether it carried a session. */
  closed(c: Connection, reason: string, established: boolean): void;
}

export type { OutFrame };

export class Connection {
  phase: "handshake" | "session" = "handshake";
  closed = false;
  readonly hs: Handshake;
  peerName = "";
  peerCreation = 0;
  /** Session establishment order (Node.list). */
  seq = 0;
  /** Initiator: the peer's GLOBAL_SYNC and PEERS arrived (Node.connect returns after both). */
  gotSync = false;
  gotPeers = false;

  /** Frames queued in this scheduler turn, written as one socket write. */
  private readonly out = new ByteWriter(4096);
  private flushQueued = false;
  /** The socket's unsent bytes as of the last write (read once per batch, not per frame). */
  private pendingAtFlush = 0;
  private lastIn: number;
  private lastOut: number;
  private timer: unknown = null;
  /** Chunks holding an incomplete frame, their total length, and the bytes that frame needs. */
  private partial: Uint8Array[] | null = null;
  private partialLen = 0;
  private partialNeed = 0;

  constructor(
    private readonly owner: ConnOwner,
    readonly sock: DistSocket,
    readonly role: "initiator" | "acceptor",
    /** initiator: the node name dialled */
    readonly target = "",
  ) {
    const host: HandshakeHost = {
      get name() {
        return owner.name;
      },
      get creation() {
        return owner.creation;
      },
      get cookie() {
        return owner.cookie;
      },
      admit: (n, cr) => owner.admit(this, n, cr),
    };
    this.hs = new Handshake(role, host, target);
    this.lastIn = this.lastOut = owner.clock.now();
    sock.onData((chunk) => this.onData(chunk));
    sock.onClose((err) => this.onSocketClosed(err));
    this.timer = owner.clock.setTimer(HANDSHAKE_TIMEOUT_MS, () => {
      this.timer = null;
      if (this.phase === "handshake" && !this.closed) this.fail("handshake timeout");
    });
    if (role === "initiator") this.send(this.hs.hello());
  }

  /** The peer's node name once known, else its address (for log lines). */
  get label(): string {
    return this.peerName !== "" ? this.peerName : this.target !== "" ? this.target : this.sock.remoteLabel;
  }

  // ---- output ---------------------------------------------------------------------------------

  /** Encodes and queues a frame; throws UnsendableValue (nothing queued) for an unsendable term. */
  send(f: OutFrame): void {
    if (this.closed) return;
    encodeFrameTo(this.out, f, this.owner.pids);
    this.queued();
  }

  /** The hot path of `send` to a remote pid: a SEND frame without a frame object. */
  sendMessage(toId: number, toCreation: number, msg: unknown): void {
    if (this.closed) return;
    encodeSendTo(this.out, toId, toCreation, msg, this.owner.pids);
    this.queued();
  }

  private queued(): void {
    if (this.out.pos + this.pendingAtFlush > OUTPUT_LIMIT) {
      this.close("output overflow");
      return;
    }
    if (!this.flushQueued) {
      this.flushQueued = true;
      this.owner.defer(this.flushCb);
    }
  }

  private readonly flushCb = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  /** Writes everything queued in one socket write. */
  flush(): void {
    const out = this.out;
    if (this.closed || out.pos === 0) return;
    const bytes = out.toBuffer();
    out.reset();
    if (out.buf.length > 16 << 20) {
      // a burst grew the batch buffer: do not keep megabytes per idle connection
      out.buf = new Uint8Array(4096);
      out.dv = new DataView(out.buf.buffer);
    }
    this.lastOut = this.owner.clock.now();
    this.sock.write(bytes);
    this.pendingAtFlush = this.sock.pendingBytes;
    if (this.pendingAtFlush > OUTPUT_LIMIT) this.close("output overflow");
  }

  // ---- input ----------------------------------------------------------------------------------

  private onData(chunk: Uint8Array): void {
    if (this.closed) return;
    this.lastIn = this.owner.clock.now();
    try {
      // frames are split here (not with wire.ts's FrameReader) so a SEND is decoded straight from
      // the chunk by offsets — no per-frame view object — and the limit changes right after the
      // handshake's last frame even inside one chunk
      const buf = chunk;
      let pos = 0;
      if (this.partial !== null) {
        pos = this.completePartial(chunk);
        if (pos < 0) return;
      }
      const end = buf.length;
      while (!this.closed && end - pos >= 4) {
        const len = (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16)) + buf[pos + 3]! * 0x1000000;
        const limit = this.phase === "handshake" ? HANDSHAKE_MAX : FRAME_MAX;
        if (len === 0) throw new MalformedFrame("frame length 0");
        if (len > limit) throw new MalformedFrame(`frame length ${len} above the ${this.phase} limit of ${limit}`);
        if (end - pos - 4 < len) break;
        const start = pos + 4;
        pos = start + len;
        if (this.phase === "session" && buf[start] === K.SEND) this.onSend(buf, start, pos);
        else this.onPayload(buf.subarray(start, pos));
      }
      if (!this.closed && pos < end) {
        // keep a copy: the chunk's memory is not ours to hold
        const rest = buf.slice(pos);
        this.partial = [rest];
        this.partialLen = rest.length;
        this.partialNeed = rest.length < 4 ? 4 : 4 + ((rest[0]! | (rest[1]! << 8) | (rest[2]! << 16)) + rest[3]! * 0x1000000);
      }
    } catch (e) {
      if (this.closed) return;
      const detail = e instanceof MalformedFrame ? e.detail : e instanceof Error ? e.message : String(e);
      this.close(`malformed frame (${detail})`);
    }
  }

  /**
   * An incomplete frame is pending: takes just the bytes it still needs from `chunk` (joining
   * the pieces once), handles it, and returns where the rest of `chunk` starts (-1: still short).
   */
  private completePartial(chunk: Uint8Array): number {
    const parts = this.partial!;
    let off = 0;
    if (this.partialLen < 4) {
      const k = Math.min(4 - this.partialLen, chunk.length);
      parts.push(chunk.slice(0, k));
      this.partialLen += k;
      off = k;
      if (this.partialLen < 4) return -1;
      const head = Buffer.concat(parts, 4);
      this.partial = [head];
      const len = (head[0]! | (head[1]! << 8) | (head[2]! << 16)) + head[3]! * 0x1000000;
      const limit = this.phase === "handshake" ? HANDSHAKE_MAX : FRAME_MAX;
      if (len === 0) throw new MalformedFrame("frame length 0");
      if (len > limit) throw new MalformedFrame(`frame length ${len} above the ${this.phase} limit of ${limit}`);
      this.partialNeed = 4 + len;
    }
    const k = Math.min(this.partialNeed - this.partialLen, chunk.length - off);
    this.partialLen += k;
    if (this.partialLen < this.partialNeed) {
      this.partial!.push(chunk.slice(off, off + k));
      return -1;
    }
    this.partial!.push(chunk.subarray(off, off + k));
    off += k;
    const frame = Buffer.concat(this.partial!, this.partialNeed);
    this.partial = null;
    if (this.phase === "session" && frame[4] === K.SEND) this.onSend(frame, 4, frame.length);
    else this.onPayload(frame.subarray(4));
    return this.closed ? -1 : off;
  }

  /** The hot path: a SEND decoded in place, without a frame object. */
  private onSend(buf: Uint8Array, start: number, end: number): void {
    const r = sendReader.reset(buf, start + 1, end);
    try {
      const id = r.u64("to");
      const creation = r.u32("to");
      const msg = decodeTerm(r, this.owner.pids);
      if (r.pos !== r.end) throw new MalformedFrame("trailing bytes in SEND");
      this.owner.message(this, id, creation, msg);
    } finally {
      r.reset(NO_BYTES);
    }
  }

  private onPayload(payload: Uint8Array): void {
    if (this.phase === "session") {
      this.owner.frame(this, decodeFrame(payload, "session", this.owner.pids));
      return;
    }
    this.onHandshakeStep(this.hs.onFrame(decodeFrame(payload, "handshake", this.owner.pids)));
  }

  private onHandshakeStep(step: HsStep): void {
    switch (step.k) {
      case "send":
        this.send(step.frame);
        return;
      case "done":
        if (step.reply !== null) this.send(step.reply);
        this.peerName = step.peerName;
        this.peerCreation = step.peerCreation;
        this.phase = "session";
        this.clearTimer();
        this.armHeartbeat();
        this.owner.established(this);
        return;
      case "rejected":
        this.closeQuietly();
        this.owner.handshakeFailed(this, `rejected by the peer: ${step.text}`, step.code);
        return;
      case "reject":
        this.send(step.frame);
        this.flush();
        this.closeQuietly(true);
        this.owner.handshakeFailed(this, step.reason, null);
        return;
      case "fail":
        this.fail(step.reason);
        return;
    }
  }

  private fail(reason: string): void {
    this.closeQuietly();
    this.owner.handshakeFailed(this, reason, null);
  }

  // ---- heartbeat ------------------------------------------------------------------------------

  private armHeartbeat(): void {
    const o = this.owner;
    const period = Math.max(1, Math.min(o.tickMs, o.timeoutMs) / 4);
    const check = (): void => {
      this.timer = null;
      if (this.closed) return;
      const now = o.clock.now();
      if (now - this.lastIn >= o.timeoutMs) {
        this.close("heartbeat timeout");
        return;
      }
      if (now - this.lastOut >= o.tickMs && !this.flushQueued) {
        this.send({ kind: "TICK" });
        this.flush();
      }
      this.timer = o.clock.setTimer(period, check);
    };
    this.timer = o.clock.setTimer(period, check);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.owner.clock.clearTimer(this.timer);
      this.timer = null;
    }
  }

  // ---- closing --------------------------------------------------------------------------------

  /** Ends a session (or handshake): optional BYE first, then the owner's node-down processing. */
  close(reason: string, bye: string | null = null): void {
    if (this.closed) return;
    if (bye !== null && this.phase === "session") {
      try {
        this.send({ kind: "BYE", reason: bye });
      } catch {
        // a BYE always encodes; nothing to do if it did not
      }
      this.flush();
    }
    const wasSession = this.phase === "session";
    this.closed = true;
    this.clearTimer();
    this.out.reset();
    if (bye !== null) this.sock.end();
    else this.sock.destroy();
    if (wasSession) this.owner.closed(this, reason, true);
    else this.owner.handshakeFailed(this, reason, null);
  }

  /** Drops a connection that lost the duplicate-connection rule: no BYE, no node-down. */
  dropSilently(): void {
    this.closeQuietly();
  }

  /** Closes without notifying the owner (handshake outcomes report themselves). */
  private closeQuietly(graceful = false): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    if (graceful) this.sock.end();
    else this.sock.destroy();
  }

  private onSocketClosed(err: string | null): void {
    if (this.closed) return;
    const wasSession = this.phase === "session";
    this.closed = true;
    this.clearTimer();
    const reason = err ?? "peer closed the connection";
    if (wasSession) this.owner.closed(this, reason, true);
    else this.owner.handshakeFailed(this, reason, null);
  }

  /** Writes what is queued now (program exit, BYE). */
  flushNow(): void {
    this.flush();
  }
}
