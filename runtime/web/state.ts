// Per-node state of the web runtime, hung off the node's scheduler (not module-level), so two
// nodes in one OS process keep separate servers, connections, rooms and body-buffer budgets.
import { currentScheduler, type Scheduler } from "./host.js";
import { LocalRoomRegistry, Rooms } from "./rooms.js";

/** What the room layer needs of a WebSocket connection. */
export interface WsConnLike {
  readonly closing: boolean;
  send(text: string): boolean;
}

export interface WebState {
  readonly sched: Scheduler;
  /** HTTP and WebSocket servers listening for this node (added on bind, removed on close) */
  readonly servers: Set<{ close(): Promise<void> }>;
  /** request-body bytes currently buffered by this node's HTTP servers */
  bufferedBodyBytes: number;
  /** open WebSocket connections by handle; handles are never reused within the node */
  readonly wsConns: Map<number, WsConnLike>;
  lastWsConnId: number;
  /** the node's room layer; the distribution layer may set `rooms.forwarder` */
  readonly rooms: Rooms;
}

const states = new WeakMap<Scheduler, WebState>();

/** The web state of `sched` (default: the calling process's node), created on first use. */
export function webState(sched: Scheduler = currentScheduler()): WebState {
  let st = states.get(sched);
  if (st === undefined) {
    const wsConns = new Map<number, WsConnLike>();
    st = {
      sched,
      servers: new Set(),
      bufferedBodyBytes: 0,
      wsConns,
      lastWsConnId: 0,
      rooms: new Rooms(new LocalRoomRegistry(), (conn, text) => {
        const c = wsConns.get(conn);
        if (!c || c.closing) return true; // closing members are skipped, not counted as failures
        return c.send(text);
      }),
    };
    states.set(sched, st);
  }
  return st;
}
