// Cluster-wide WebSocket rooms (concurrency.md §6.9) over the in-memory transport: Ws.broadcast
// sends one ROOM_BROADCAST per connected node; each receiver delivers to its own members only and
// never forwards. Local delivery is observed by wrapping each node's `deliverLocal` (a spy: the
// real delivery still runs).
import { describe, expect, it } from "vitest";
import { Node } from "../../../runtime/dist/index.js";
import { roomsOf, Ws } from "../../../runtime/web/index.js";
import { cluster } from "./cluster.js";

type G<T = unknown> = Generator<unknown, T, unknown>;
const NAMES = ["a@h:1", "b@h:2", "c@h:3"];

describe("cluster-wide rooms", () => {
  it("one frame per connected node, delivered locally in order, never forwarded", () => {
    const c = cluster(3);
    const seen: string[][] = [[], [], []];
    c.nodes.forEach((n, i) => {
      const rooms = roomsOf(n.s);
      const orig = rooms.deliverLocal.bind(rooms);
      rooms.deliverLocal = (room: string, text: string, except?: number) => {
        seen[i]!.push(`${room}:${text}`);
        return orig(room, text, except);
      };
      n.s.spawn(function* (): G {
        yield* Node.start(NAMES[i]!, "k");
      });
    });
    c.settle();
    c.nodes[0]!.s.spawn(function* (): G {
      yield* Node.connect(NAMES[1]!);
      yield* Node.connect(NAMES[2]!);
    });
    c.settle();
    const before = c.net.writes;
    let failed = -1;
    c.nodes[1]!.s.spawn(function* (): G {
      failed = Ws.broadcast("lobby", "one") as number;
      Ws.broadcast("lobby", "two");
    });
    c.settle();
    expect(failed).toBe(0);
    expect(seen).toEqual([
      ["lobby:one", "lobby:two"],
      ["lobby:one", "lobby:two"],
      ["lobby:one", "lobby:two"],
    ]);
    // b wrote one batch to each of its two peers; nobody forwarded
    expect(c.net.writes - before).toBe(2);
  });
});
