// A named node (concurrency.md §6.1–§6.4, §7.4, §7.7): Node.start/connect/disconnect, sessions
// (one per node pair, the duplicate-connection rule, Node.list order), mesh gossip, Node.monitor,
// pid ↔ wire conversion, and routing of session frames to remote.ts / global.ts / node-down.ts.
import { NodeRef, NULL_PID, Pid } from "../sched/pid.js";
import { EXITED, type Process } from "../sched/process.js";
import type { Scheduler } from "../sched/scheduler.js";
import type { Clock } from "../sched/clock.js";
import { SysNodeUp } from "../sched/messages.js";
import { Connection, type ConnOwner, type OutFrame } from "./connection.js";
import { GlobalRegistry, type GlobalHost } from "./global.js";
import {
  HANDSHAKE_TIMEOUT_MS,
  newCreation,
  parseNodeName,
  REJECT_DUPLICATE,
} from "./handshake.js";
import { nodeDown } from "./node-down.js";
import { RemoteSide } from "./remote.js";
import { tcpTransport, tlsConfigFromEnv, type DistListener, type Transport } from "./transport.js";
import { Waiter, waitFor } from "./wait.js";
import { functionRegistry } from "../core/ops.js";
import { roomsOf } from "../web/ws.js";
import type { Frame, PidCodec, Term, WirePid, WireTo } from "./wire.js";

export interface DistOptions {
  /** Default: TCP (TLS per MESH_DIST_TLS), chosen at Node.start. */
  transport?: Transport;
  /** Runs a callback after the current scheduler turn (output batching); default queueMicrotask. */
  defer?: (cb: () => void) => void;
  /** Wall clock for global registration times; default Date.now. */
  wallNow?: () => number;
  tickMs?: number;
  timeoutMs?: number;
  /** Creation to use (tests); default random non-zero. */
  creation?: number;
  /** The function registry SPAWN looks keys up in; default the program's (core/ops.ts). */
  lookupFunction?: (key: string) => Function | undefined;
}

function envMs(name: string): number | null {
  const raw = typeof process !== "undefined" ? process.env[name] : undefined;
  if (raw === undefined || raw === "") return null;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** An outgoing connection attempt and the Node.connect calls waiting for its outcome. */
class Attempt {
  conn: Connection | null = null;
  waiters: Waiter<number>[] = [];
  result: number | null = null;
  /** rejected with code 3: wait for a session made by the other side */
  awaitingSession = false;
  timer: unknown = null;
  constructor(
    readonly target: string,
    readonly background: boolean,
  ) {}
}

export class DistNode implements ConnOwner, PidCodec, GlobalHost {
  readonly sched: Scheduler;
  readonly clock: Clock;
  readonly tickMs: number;
  readonly timeoutMs: number;
  readonly global: GlobalRegistry;
  readonly remote: RemoteSide;

  started = false;
  private starting = false;
  name = "";
  cookie = "";
  creation = 0;
  private transport: Transport | null;
  private listener: DistListener | null = null;
  private readonly deferFn: (cb: () => void) => void;
  private readonly wallFn: () => number;
  private readonly fixedCreation: number | undefined;
  readonly lookupFunction: (key: string) => Function | undefined;

  /** Established sessions by peer name, in establishment order (Map order; Node.list). */
  readonly sessions = new Map<string, Connection>();
  /** Incoming handshakes past HELLO, by peer name. */
  private readonly incoming = new Map<string, Connection>();
  /** Outgoing attempts by target name. */
  private readonly attempts = new Map<string, Attempt>();
  private readonly nodeMonitors = new Map<string, Process[]>();
  private readonly nodeRefs = new Map<string, NodeRef>();
  private seq = 0;
  /** Background connection attempts running (§1.12 rule 3). */
  background = 0;

  constructor(s: Scheduler, opts: DistOptions = {}) {
    this.sched = s;
    this.clock = s.clock;
    this.transport = opts.transport ?? null;
    this.deferFn = opts.defer ?? queueMicrotask;
    this.wallFn = opts.wallNow ?? Date.now;
    this.fixedCreation = opts.creation;
    this.lookupFunction = opts.lookupFunction ?? ((key) => functionRegistry.get(key));
    const tick = opts.tickMs ?? envMs("MESH_DIST_TICK_MS") ?? 1000;
    const timeout = opts.timeoutMs ?? envMs("MESH_DIST_TIMEOUT_MS") ?? 5000;
    this.tickMs = tick;
    this.timeoutMs = Math.max(timeout, 2 * tick);
    this.global = new GlobalRegistry(this);
    this.remote = new RemoteSide(this);
    s.remote = this.remote.hooks;
    // Ws.broadcast: one ROOM_BROADCAST per connected node (§6.9)
    roomsOf(s).forwarder = { forward: (room, text) => this.broadcast({ kind: "ROOM_BROADCAST", room, text }) };
  }

  // ---- ConnOwner / GlobalHost basics --------------------------------------------------------------

  get pids(): PidCodec {
    return this;
  }

  defer(cb: () => void): void {
    this.deferFn(cb);
  }

  log(line: string): void {
    this.sched.err(`[mesh] dist: ${line}\n`);
  }

  wallNow(): number {
    return this.wallFn();
  }

  // ---- pids on the wire ---------------------------------------------------------------------------

  toWire(pid: Pid): WirePid {
    if (pid.isNull()) return { node: "", creation: 0, id: 0 };
    return { node: pid.node.name, creation: pid.node.creation, id: pid.serial };
  }

  fromWire(w: WirePid): Pid {
    if (w.id === 0 || w.node === "") return NULL_PID;
    if (this.started && w.node === this.name && w.creation === this.creation) {
      const p = this.sched.processBySerial(w.id);
      return p !== undefined && p.status !== EXITED ? p.pid : new Pid(this.sched.localNode, w.id);
    }
    return new Pid(this.nodeRef(w.node, w.creation), w.id);
  }

  private lastRef: NodeRef | null = null;

  private nodeRef(name: string, creation: number): NodeRef {
    const last = this.lastRef;
    if (last !== null && last.name === name && last.creation === creation) return last;
    const key = `${creation}@${name}`;
    let r = this.nodeRefs.get(key);
    if (r === undefined) {
      r = new NodeRef(name, creation, false);
      this.nodeRefs.set(key, r);
    }
    this.lastRef = r;
    return r;
  }

  /** The local process a frame addresses, if it exists in this incarnation. */
  localProc(to: WireTo): Process | null {
    if (to.creation !== this.creation) return null;
    const p = this.sched.processBySerial(to.id);
    return p !== undefined && p.status !== EXITED ? p : null;
  }

  /** `to` for a local pid of the peer. */
  wireTo(pid: Pid): WireTo {
    return { id: pid.serial, creation: pid.node.creation };
  }

  /** The session that reaches `pid`'s node in `pid`'s incarnation. */
  sessionFor(pid: Pid): Connection | null {
    const c = this.sessions.get(pid.node.name);
    return c !== undefined && c.peerCreation === pid.node.creation ? c : null;
  }

  remoteAlive(pid: Pid): boolean {
    return this.sessionFor(pid) !== null;
  }

  announce(f: { kind: "GLOBAL_REGISTER"; name: string; pid: Pid; time: number } | { kind: "GLOBAL_UNREGISTER"; name: string; pid: Pid }): void {
    const out = f.kind === "GLOBAL_REGISTER" ? { ...f, pid: this.toWire(f.pid) } : { ...f, pid: this.toWire(f.pid) };
    this.broadcast(out as OutFrame);
  }

  broadcast(f: OutFrame): void {
    for (const c of this.sessions.values()) c.send(f);
  }

  // ---- Node.start ---------------------------------------------------------------------------------

  *start(name: string, cookie: string, me: Process): Generator<unknown, number, unknown> {
    if (this.started || this.starting) return -1;
    const addr = parseNodeName(name);
    if (addr === null || cookie === "") return -3;
    let transport = this.transport;
    if (transport === null) {
      const tlsConf = tlsConfigFromEnv();
      if (typeof tlsConf === "string") {
        this.log(`invalid TLS configuration: ${tlsConf}`);
        return -3;
      }
      transport = tcpTransport(tlsConf);
    }
    this.starting = true;
    const w = new Waiter<number>(me, -2);
    transport.listen(
      addr.host,
      addr.port,
      (sock) => {
        try {
          this.accept(new Connection(this, sock, "acceptor"));
        } catch (e) {
          this.log(`connection from ${sock.remoteLabel} closed: ${(e as Error).message}`);
          sock.destroy();
        }
      },
      (r) => {
        this.starting = false;
        if (!r.ok) {
          w.settle(-2);
          return;
        }
        this.transport = transport;
        this.listener = r.listener;
        this.started = true;
        this.cookie = cookie;
        this.creation = this.fixedCreation ?? newCreation();
        this.name = addr.port === 0 ? `${addr.name}@${addr.host}:${r.listener.port}` : name;
        this.sched.localNode.name = this.name;
        this.sched.localNode.creation = this.creation;
        w.settle(0);
      },
    );
    return yield* waitFor(w);
  }

  private accept(c: Connection): void {
    if (!this.started) c.close("node not started");
  }

  // ---- Node.connect -------------------------------------------------------------------------------

  *connect(target: string, me: Process): Generator<unknown, number, unknown> {
    if (!this.started) return -1;
    if (target === this.name) return 0;
    const addr = parseNodeName(target);
    if (addr === null) return -3;
    const cur = this.sessions.get(target);
    if (cur !== undefined && ready(cur)) return 0;
    let a = this.attempts.get(target);
    if (a === undefined) {
      if (cur !== undefined || this.incoming.has(target)) {
        // the other side is connecting to us right now (or its session has not delivered its
        // GLOBAL_SYNC and PEERS yet): wait for that session instead of dialling
        a = new Attempt(target, false);
        a.awaitingSession = true;
        this.attempts.set(target, a);
        this.armSessionWait(a);
      } else {
        a = this.dial(target, false);
      }
    }
    if (a.result !== null) return a.result;
    const w = new Waiter<number>(me, -3);
    a.waiters.push(w);
    return yield* waitFor(w);
  }

  /** Starts an outgoing connection attempt to `target` (a valid name). */
  private dial(target: string, background: boolean): Attempt {
    const addr = parseNodeName(target)!;
    const a = new Attempt(target, background);
    this.attempts.set(target, a);
    if (background) this.background++;
    this.transport!.connect(addr.host, addr.port, 5000, (r) => {
      if (a.result !== null) return;
      if (!r.ok) {
        if (background) this.log(`connect to ${target} failed: ${r.error}`);
        this.finish(a, r.afterTcp === true ? -3 : -2);
        return;
      }
      try {
        a.conn = new Connection(this, r.socket, "initiator", target);
      } catch (e) {
        r.socket.destroy();
        this.finish(a, -3);
        this.log(`connect to ${target} failed: ${(e as Error).message}`);
      }
    });
    return a;
  }

  private finish(a: Attempt, result: number): void {
    if (a.result !== null) return;
    a.result = result;
    if (a.timer !== null) this.clock.clearTimer(a.timer);
    a.timer = null;
    if (this.attempts.get(a.target) === a) this.attempts.delete(a.target);
    if (a.background) {
      this.background--;
      this.poke();
    }
    for (const w of a.waiters) w.settle(result);
    a.waiters = [];
  }

  /**
   * Rejected as a duplicate, or the peer's own connection is in progress: succeed once a session
   * with the target exists and its GLOBAL_SYNC and PEERS were applied (within 5 s).
   */
  private armSessionWait(a: Attempt): void {
    a.awaitingSession = true;
    if (a.timer !== null) return;
    a.timer = this.clock.setTimer(HANDSHAKE_TIMEOUT_MS, () => {
      a.timer = null;
      this.finish(a, this.sessions.has(a.target) ? 0 : -3);
    });
  }

  // ---- handshake outcomes (ConnOwner) ---------------------------------------------------------------

  admit(c: Connection, peerName: string, peerCreation: number): number | null {
    const v = this.admitVerdict(peerName, peerCreation);
    if (v === null) this.incoming.set(peerName, c);
    return v;
  }

  private admitVerdict(peerName: string, peerCreation: number): number | null {
    const cur = this.sessions.get(peerName);
    if (cur !== undefined) {
      if (cur.peerCreation === peerCreation) return REJECT_DUPLICATE;
      // the peer restarted: its old session is lost (§7.4)
      cur.close("the peer restarted");
    }
    if (this.incoming.has(peerName)) return REJECT_DUPLICATE;
    const a = this.attempts.get(peerName);
    if (a !== undefined && dialling(a) && bytewiseLess(this.name, peerName)) {
      // simultaneous connect: the connection initiated by the smaller name survives. This node
      // is the smaller and its own attempt is under way (even if its TCP connect has not completed
      // yet), so the peer's connection is the one to refuse — before any ACCEPT, so it never
      // becomes a session on either side. The larger node never refuses on this ground, and a
      // node never dials while it is admitting the peer's handshake (connect waits for it), so
      // at most one of the two connections gets past HELLO.
      return REJECT_DUPLICATE;
    }
    return null;
  }

  established(c: Connection): void {
    const name = c.peerName;
    if (c.role === "acceptor") this.incoming.delete(name);
    const cur = this.sessions.get(name);
    if (cur !== undefined && cur !== c) {
      if (cur.peerCreation === c.peerCreation) {
        // unreachable by construction (admitVerdict refuses duplicates before ACCEPT); should it
        // happen, the existing session stays the session and the newcomer goes without node-down
        this.log(`connection to ${name} dropped: duplicate of the established session`);
        c.dropSilently();
        const a = this.attempts.get(c.target);
        if (a !== undefined && a.conn === c) this.armSessionWait(a);
        return;
      } else {
        cur.close("the peer restarted");
      }
    }
    c.seq = ++this.seq;
    this.sessions.set(name, c);
    c.send({ kind: "GLOBAL_SYNC", entries: this.global.snapshot((p) => this.toWire(p)) });
    const others: string[] = [];
    for (const n of this.sessions.keys()) if (n !== name) others.push(n);
    c.send({ kind: "PEERS", nodes: others });
    // Node.monitor registrations get NodeUp
    const regs = this.nodeMonitors.get(name);
    if (regs !== undefined) {
      for (const p of this.liveRegs(name, regs)) this.sched.deliver(p, new SysNodeUp(name));
    }
    this.maybeConnected(c);
  }

  /**
   * Node.connect returns once the session's peer has sent its GLOBAL_SYNC and PEERS and they were
   * applied: for the attempt that made this session, or one waiting for it (rejected as a
   * duplicate, or waiting for the peer's own handshake).
   */
  private maybeConnected(c: Connection): void {
    if (!ready(c) || this.sessions.get(c.peerName) !== c) return;
    const a = this.attempts.get(c.peerName);
    if (a !== undefined && (a.conn === c || a.awaitingSession)) this.finish(a, 0);
  }

  handshakeFailed(c: Connection, reason: string, rejectCode: number | null): void {
    if (c.role === "acceptor") {
      const pn = c.hs.peerName;
      if (pn !== "" && this.incoming.get(pn) === c) this.incoming.delete(pn);
      if (reason.startsWith("malformed frame")) this.log(`connection to ${c.sock.remoteLabel} closed: ${reason}`);
      else this.log(`rejected connection from ${c.sock.remoteLabel}: ${reason}`);
      // a Node.connect waiting for this incoming handshake dials itself now
      const a = pn !== "" ? this.attempts.get(pn) : undefined;
      if (a !== undefined && a.conn === null && a.awaitingSession && !this.sessions.has(pn)) {
        this.attempts.delete(a.target);
        const b = this.dial(a.target, a.background);
        b.waiters = a.waiters;
        a.waiters = [];
        if (a.timer !== null) this.clock.clearTimer(a.timer);
      }
      return;
    }
    const a = this.attempts.get(c.target);
    if (a === undefined || a.conn !== c) return;
    if (rejectCode === REJECT_DUPLICATE) {
      const s = this.sessions.get(c.target);
      if (s !== undefined && ready(s)) this.finish(a, 0);
      else this.armSessionWait(a);
      return;
    }
    if (a.background || reason.startsWith("malformed frame")) this.log(`connection to ${c.target} closed: ${reason}`);
    this.finish(a, -3);
  }

  // ---- session frames -------------------------------------------------------------------------------

  message(c: Connection, toId: number, toCreation: number, msg: Term): void {
    if (toCreation !== this.creation) return;
    const p = this.sched.processBySerial(toId);
    if (p === undefined || p.status === EXITED) return;
    if (!msg.ok) {
      this.log(`dropped message from ${c.peerName}: ${msg.error}`);
      return;
    }
    this.sched.deliver(p, msg.value);
  }

  frame(c: Connection, f: Frame): void {
    switch (f.kind) {
      case "TICK":
        return;
      case "GLOBAL_REGISTER":
        this.global.learn(f.name, this.fromWire(f.pid), f.time);
        return;
      case "GLOBAL_UNREGISTER":
        this.global.forget(f.name, this.fromWire(f.pid));
        return;
      case "GLOBAL_SYNC":
        for (const e of f.entries) this.global.learn(e.name, this.fromWire(e.pid), e.time);
        c.gotSync = true;
        this.maybeConnected(c);
        return;
      case "PEERS":
        for (const n of f.nodes) this.gossip(n);
        c.gotPeers = true;
        this.maybeConnected(c);
        return;
      case "BYE":
        c.close(`the peer said goodbye (${f.reason})`);
        return;
      case "ROOM_BROADCAST":
        this.remote.roomBroadcast(f.room, f.text);
        return;
      default:
        this.remote.frame(c, f);
    }
  }

  /** A node named in PEERS: connect in the background unless known (§6.2). */
  private gossip(n: string): void {
    if (n === this.name || this.sessions.has(n) || this.attempts.has(n) || this.incoming.has(n)) return;
    if (parseNodeName(n) === null) return;
    this.dial(n, true);
  }

  closed(c: Connection, reason: string): void {
    if (this.sessions.get(c.peerName) !== c) return;
    this.sessions.delete(c.peerName);
    nodeDown(this, c, reason);
    const a = this.attempts.get(c.target);
    if (a !== undefined && a.conn === c) this.finish(a, -3);
    this.poke();
  }

  // ---- Node.disconnect / list / monitor -----------------------------------------------------------------

  disconnect(name: string): number {
    const c = this.sessions.get(name);
    if (c === undefined) return 1;
    c.close("disconnected by Node.disconnect", "disconnect");
    return 0;
  }

  list(): string[] {
    return [...this.sessions.keys()];
  }

  monitorNode(p: Process, name: string): number {
    if (!this.started || name === "") return 1;
    let regs = this.nodeMonitors.get(name);
    if (regs === undefined) this.nodeMonitors.set(name, (regs = []));
    regs.push(p);
    return 0;
  }

  demonitorNode(p: Process, name: string): number {
    const regs = this.nodeMonitors.get(name);
    if (regs === undefined) return 1;
    const rest = regs.filter((q) => q !== p);
    if (rest.length === regs.length) return 1;
    if (rest.length === 0) this.nodeMonitors.delete(name);
    else this.nodeMonitors.set(name, rest);
    return 0;
  }

  /** The live registrations for `name` (exited processes are dropped on the way). */
  liveRegs(name: string, regs: Process[]): Process[] {
    const live = regs.filter((p) => p.status !== EXITED);
    if (live.length !== regs.length) {
      if (live.length === 0) this.nodeMonitors.delete(name);
      else this.nodeMonitors.set(name, live);
    }
    return live;
  }

  monitorsOf(name: string): Process[] {
    const regs = this.nodeMonitors.get(name);
    return regs === undefined ? [] : this.liveRegs(name, regs);
  }

  // ---- program lifetime ---------------------------------------------------------------------------------

  /** §1.12 rules 3 and 5: stay up while a peer may still talk to a waiting process. */
  keepAlive(): boolean {
    if (this.background > 0) return true;
    if (!this.started || this.sessions.size === 0) return false;
    return this.sched.hasReceiveWaiters();
  }


  /** Makes an idle scheduler re-check whether the program is done. */
  poke(): void {
    if (this.sched.halted) return;
    this.sched.holdAlive()();
  }

  /** The program ends: BYE to every peer, written now. */
  halt(): void {
    for (const c of [...this.sessions.values()]) c.close("node stopping", "node stopping");
    this.listener?.close();
  }
}

/** The session's peer sent its GLOBAL_SYNC and PEERS and they were applied (§6.2). */
function ready(c: Connection): boolean {
  return c.gotSync && c.gotPeers;
}

/** An outgoing attempt still dialling or in its handshake (not rejected, not waiting). */
function dialling(a: Attempt): boolean {
  return a.result === null && !a.awaitingSession && (a.conn === null || !a.conn.closed);
}

const enc = new TextEncoder();
export function bytewiseLess(a: string, b: string): boolean {
  return Buffer.compare(enc.encode(a), enc.encode(b)) < 0;
}
