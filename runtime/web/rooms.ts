// WebSocket rooms (stdlib.md §20, §30; concurrency.md §6.9). Membership is node-local and lives
// behind the `RoomRegistry` interface; broadcasting delivers locally first and then hands the
// message to an optional `RoomForwarder`, which the distribution layer installs to send one
// ROOM_BROADCAST to every connected node (remote nodes call `deliverLocal`, never forward again).

export interface RoomRegistry {
  /** adds `conn` to `room` (idempotent) */
  join(conn: number, room: string): void;
  /** removes `conn` from `room` (no-op if not a member); empty rooms disappear */
  leave(conn: number, room: string): void;
  /** removes `conn` from every room (connection closing) */
  leaveAll(conn: number): void;
  /** current local members in join order (a snapshot) */
  members(room: string): readonly number[];
}

export class LocalRoomRegistry implements RoomRegistry {
  private readonly rooms = new Map<string, Set<number>>();
  private readonly byConn = new Map<number, Set<string>>();

  join(conn: number, room: string): void {
    let m = this.rooms.get(room);
    if (!m) this.rooms.set(room, (m = new Set()));
    m.add(conn);
    let r = this.byConn.get(conn);
    if (!r) this.byConn.set(conn, (r = new Set()));
    r.add(room);
  }

  leave(conn: number, room: string): void {
    const m = this.rooms.get(room);
    if (m?.delete(conn) && m.size === 0) this.rooms.delete(room);
    const r = this.byConn.get(conn);
    if (r?.delete(room) && r.size === 0) this.byConn.delete(conn);
  }

  leaveAll(conn: number): void {
    const r = this.byConn.get(conn);
    if (!r) return;
    for (const room of r) {
      const m = this.rooms.get(room);
      if (m?.delete(conn) && m.size === 0) this.rooms.delete(room);
    }
    this.byConn.delete(conn);
  }

  members(room: string): readonly number[] {
    const m = this.rooms.get(room);
    return m ? Array.from(m) : [];
  }
}

/** Carries a broadcast to the other nodes of the cluster (installed by the distribution layer). */
export interface RoomForwarder {
  forward(room: string, text: string): void;
}

/** Sends one text frame; false when the connection is closing/closed or the send failed. */
export type Deliver = (conn: number, text: string) => boolean;

export class Rooms {
  forwarder: RoomForwarder | null = null;

  constructor(
    readonly registry: RoomRegistry,
    private readonly deliver: Deliver,
  ) {}

  /** Delivers to this node's members (skipping `except`); returns the number of failed sends. */
  deliverLocal(room: string, text: string, except = 0): number {
    let failed = 0;
    for (const conn of this.registry.members(room)) {
      if (conn === except) continue;
      if (!this.deliver(conn, text)) failed++;
    }
    return failed;
  }

  /** `Ws.broadcast` / `Ws.broadcast_except`: local delivery, then one forward to the cluster. */
  broadcast(room: string, text: string, except = 0): number {
    const failed = this.deliverLocal(room, text, except);
    this.forwarder?.forward(room, text);
    return failed;
  }
}
