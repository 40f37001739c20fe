// Cluster-wide WebSocket rooms (concurrency.md §6.9) between two OS processes: real WebSocket
// clients on each node's server (programs/rooms); a broadcast on one node reaches the room's
// members on both nodes, in order, and no member of another room.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildNode, freePorts, startNode, stopNodes, withTimeout } from "./cluster.js";

let rooms = "";
beforeAll(async () => {
  rooms = await buildNode("rooms");
});
afterAll(stopNodes);

/** A WebSocket client collecting every text it receives. */
class Client {
  readonly got: string[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on("message", (d) => {
      this.got.push(d.toString());
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static open(url: string): Promise<Client> {
    return withTimeout(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        const c = new Client(ws);
        ws.once("open", () => resolve(c));
        ws.once("error", reject);
      }),
      10_000,
      `WebSocket ${url}`,
    );
  }
  /** Waits until `n` texts have arrived. */
  waitCount(n: number, what: string): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => {
        const check = () => (this.got.length >= n ? resolve() : this.waiters.push(check));
        check();
      }),
      10_000,
      `${what}; got ${JSON.stringify(this.got)}`,
    );
  }
}

describe("cluster-wide WebSocket rooms", () => {
  it("a broadcast reaches the room's members on every node, in order, and nobody else", async () => {
    const p = await freePorts(["a", "b", "wa", "wb"]);
    const na = `a@127.0.0.1:${p.a}`;
    const nb = `b@127.0.0.1:${p.b}`;
    const a = startNode("a", rooms, { NAME: na, COOKIE: "rooms", WS_PORT: p.wa! });
    await a.waitStderr(new RegExp(`WebSocket server listening on 0\\.0\\.0\\.0:${p.wa}$`), 15_000);
    const b = startNode("b", rooms, { NAME: nb, COOKIE: "rooms", WS_PORT: p.wb!, CONNECT: na });
    await b.waitStderr(new RegExp(`WebSocket server listening on 0\\.0\\.0\\.0:${p.wb}$`), 15_000);
    expect(b.stdout.text).toBe("start 0\nnodes 1\n");

    const onA = await Client.open(`ws://127.0.0.1:${p.wa}/rooms/lobby`);
    const onB = await Client.open(`ws://127.0.0.1:${p.wb}/rooms/lobby`);
    const other = await Client.open(`ws://127.0.0.1:${p.wb}/rooms/other`);
    await Promise.all([onA.waitCount(1, "joined on a"), onB.waitCount(1, "joined on b"), other.waitCount(1, "joined other")]);

    onB.ws.send("lobby:hello from b");
    await Promise.all([onA.waitCount(2, "b's broadcast on a"), onB.waitCount(2, "b's broadcast on b")]);
    for (const t of ["one", "two", "three"]) onA.ws.send(`lobby:${t}`);
    await Promise.all([onA.waitCount(5, "a's broadcasts on a"), onB.waitCount(5, "a's broadcasts on b")]);
    // a last broadcast to "other" from a: once it arrived on b, everything sent before it has too
    const probe = await Client.open(`ws://127.0.0.1:${p.wa}/rooms/probe`);
    await probe.waitCount(1, "joined probe");
    probe.ws.send("other:end");
    await other.waitCount(2, "the end marker");
    // the node's own log line of the last broadcast may reach us after the message itself
    await a.waitLine("broadcast end failures 0", 5000);

    expect(onA.got).toEqual([`joined lobby on ${na}`, "hello from b", "one", "two", "three"]);
    expect(onB.got).toEqual([`joined lobby on ${nb}`, "hello from b", "one", "two", "three"]);
    expect(other.got).toEqual([`joined other on ${nb}`, "end"]);
    expect(a.stdout.lines.filter((l) => l.startsWith("broadcast"))).toEqual(["broadcast one failures 0", "broadcast two failures 0", "broadcast three failures 0", "broadcast end failures 0"]);
    expect(b.stdout.lines.filter((l) => l.startsWith("broadcast"))).toEqual(["broadcast hello from b failures 0"]);
    for (const c of [onA, onB, other, probe]) c.ws.close();
    await Promise.all([a.stop(), b.stop()]);
  });
});
