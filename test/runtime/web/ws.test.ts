// WebSocket server (stdlib.md §20, §30, Appendix B5): connection processes, callbacks, rooms,
// close codes and protocol limits, driven with real `ws` clients on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Ws, listenWs, roomsOf, type RunningWsServer } from "../../../runtime/web/index.js";
import { MeshPanic, sleep } from "../../../runtime/sched/index.js";
import type { MeshMap } from "../../../runtime/core/map.js";
import { installScheduler, rawHttp, type Captured } from "./harness.js";

interface Client {
  ws: WebSocket;
  msgs: string[];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
}

function connect(port: number, path: string): Client {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers: { "User-Agent": "t" } });
  const msgs: string[] = [];
  ws.on("message", (d) => msgs.push(d.toString()));
  ws.on("error", () => {});
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on("close", (code, reason) => r({ code, reason: reason.toString() })));
  const opened = new Promise<void>((r) => ws.on("open", () => r()));
  return { ws, msgs, closed, opened };
}

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let cap: Captured;
let srv: RunningWsServer;
const out: string[] = [];

beforeAll(async () => {
  cap = installScheduler();
  const onConnect = (conn: number, path: string, headers: MeshMap<string, string>) => {
    if (path === "/boom") throw new MeshPanic("connect exploded");
    if (path.startsWith("/rooms/")) {
      const room = path.slice(7);
      Ws.join(conn, room);
      Ws.send(conn, `joined ${room} ua=${headers.lookup("user-agent") as string}`);
      return conn;
    }
    return 0;
  };
  const onMessage = function* (conn: number, msg: string) {
    if (msg === "panic") throw new MeshPanic("message exploded");
    if (msg.startsWith("slow:")) {
      yield* sleep(Number(msg.slice(5)));
      Ws.send(conn, `done ${msg}`);
      return;
    }
    if (msg.startsWith("echo:")) {
      Ws.send(conn, msg.slice(5));
      return;
    }
    const parts = msg.split(":");
    const text = parts.slice(1).join(":");
    Ws.broadcast_except(parts[0], text, conn);
    Ws.send(conn, "sent");
    out.push(`relayed ${text}`);
  };
  const onClose = (conn: number, code: number, reason: string) => {
    out.push(`closed ${code} [${reason}]`);
    out.push(`send after close ${Ws.send(conn, "x")}`);
  };
  srv = await listenWs({ onConnect, onMessage, onClose }, { port: 0, host: "127.0.0.1" });
});
afterAll(() => srv.close());

describe("B5: WebSocket rooms", () => {
  it("runs the scenario", async () => {
    out.length = 0;
    const A = connect(srv.port, "/rooms/red");
    await until(() => A.msgs.length === 1, "A joined");
    expect(A.msgs).toEqual(["joined red ua=t"]);
    const B = connect(srv.port, "/rooms/red");
    const C = connect(srv.port, "/rooms/blue");
    await until(() => B.msgs.length === 1 && C.msgs.length === 1, "B, C joined");
    expect([B.msgs[0], C.msgs[0]]).toEqual(["joined red ua=t", "joined blue ua=t"]);

    const D = connect(srv.port, "/admin");
    await D.opened; // the handshake succeeds ...
    expect(await D.closed).toEqual({ code: 1008, reason: "rejected" }); // ... then the server closes

    A.ws.send("red:hello");
    await until(() => A.msgs.length === 2 && B.msgs.length === 2, "hello relayed");
    expect([A.msgs[1], B.msgs[1]]).toEqual(["sent", "hello"]);

    C.ws.send("red:x:y");
    await until(() => A.msgs.length === 3 && B.msgs.length === 3 && C.msgs.length === 2, "x:y relayed");
    expect([A.msgs[2], B.msgs[2], C.msgs[1]]).toEqual(["x:y", "x:y", "sent"]);

    B.ws.close(4000);
    await until(() => out.includes("closed 1000 []"), "B closed");

    A.ws.send("red:again");
    await until(() => A.msgs.length === 4, "again");
    await new Promise((r) => setTimeout(r, 50));
    expect(A.msgs[3]).toBe("sent");
    expect(B.msgs.length).toBe(3);
    expect(C.msgs.length).toBe(2);
    expect(out).toEqual(["relayed hello", "relayed x:y", "closed 1000 []", "send after close -1", "relayed again"]);
    A.ws.close();
    C.ws.close();
    await Promise.all([A.closed, C.closed]);
  });
});

describe("connection lifecycle", () => {
  it("messages are handled sequentially in arrival order even when a handler suspends", async () => {
    const c = connect(srv.port, "/rooms/seq");
    await c.opened;
    c.ws.send("slow:60");
    c.ws.send("echo:second");
    c.ws.send("slow:1");
    await until(() => c.msgs.length === 4, "three replies");
    expect(c.msgs.slice(1)).toEqual(["done slow:60", "second", "done slow:1"]);
    c.ws.close();
    await c.closed;
  });

  it("a flood of messages is processed completely and in order (the socket is paused meanwhile)", async () => {
    const c = connect(srv.port, "/rooms/flood");
    await c.opened;
    const n = 1500;
    for (let i = 0; i < n; i++) c.ws.send(i % 2 === 0 ? `slow:1` : `echo:${i}`);
    await until(() => c.msgs.length === n + 1, "all replies", 20_000);
    for (let i = 0; i < n; i++) expect(c.msgs[i + 1]).toBe(i % 2 === 0 ? "done slow:1" : String(i));
    c.ws.close();
    await c.closed;
  }, 30_000);

  it("on_message panic closes with 1011 and calls on_close(conn, 1011, 'internal error')", async () => {
    out.length = 0;
    const c = connect(srv.port, "/rooms/p");
    await c.opened;
    c.ws.send("panic");
    expect(await c.closed).toEqual({ code: 1011, reason: "internal error" });
    await until(() => out.includes("closed 1011 [internal error]"), "on_close");
    expect(out.slice(out.indexOf("closed 1011 [internal error]"))).toEqual(["closed 1011 [internal error]", "send after close -1"]);
    expect(cap.stderr.join("")).toMatch(/message exploded/);
  });

  it("on_connect panic closes with 1011 without on_close", async () => {
    out.length = 0;
    const c = connect(srv.port, "/boom");
    expect((await c.closed).code).toBe(1011);
    await new Promise((r) => setTimeout(r, 30));
    expect(out).toEqual([]);
  });

  it("binary messages are decoded as UTF-8 with replacement; invalid UTF-8 text frames close with 1007", async () => {
    const c = connect(srv.port, "/rooms/bin");
    await c.opened;
    c.ws.send(Buffer.concat([Buffer.from("echo:ok"), Buffer.from([0xff])]), { binary: true });
    await until(() => c.msgs.length === 2, "binary echo");
    expect(c.msgs[1]).toBe("ok\uFFFD");
    c.ws.send(Buffer.from([0x65, 0x63, 0x68, 0x6f, 0x3a, 0xff]), { binary: false });
    expect((await c.closed).code).toBe(1007);
  });

  it("messages over 16 MiB close with 1009", async () => {
    const c = connect(srv.port, "/rooms/big");
    await c.opened;
    c.ws.send("a".repeat(16 * 1024 * 1024 + 1));
    expect((await c.closed).code).toBe(1009);
  });

  it("a plain HTTP request is answered 400 and no callback runs", async () => {
    out.length = 0;
    const r = await rawHttp(srv.port, "GET /rooms/x HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(r.status).toBe(400);
    await new Promise((r) => setTimeout(r, 30));
    expect(out.filter((l) => !l.startsWith("closed 1000") && !l.startsWith("send after"))).toEqual([]);
  });

  it("unknown handles: send/join/leave give -1; broadcast to an unknown room gives 0", () => {
    expect(Ws.send(999999, "x")).toBe(-1);
    expect(Ws.join(999999, "r")).toBe(-1);
    expect(Ws.leave(999999, "r")).toBe(-1);
    expect(Ws.broadcast("no-such-room", "x")).toBe(0);
  });

  it("broadcasts are forwarded once to the cluster hook", async () => {
    const fwd: string[] = [];
    roomsOf(cap.sched).forwarder = { forward: (room, text) => fwd.push(`${room}:${text}`) };
    try {
      const c = connect(srv.port, "/rooms/fw");
      await until(() => c.msgs.length === 1, "joined");
      expect(Ws.broadcast("fw", "hi")).toBe(0);
      expect(Ws.broadcast_except("fw", "skip", 0)).toBe(0);
      await until(() => c.msgs.length === 3, "broadcasts");
      expect(c.msgs.slice(1)).toEqual(["hi", "skip"]);
      expect(fwd).toEqual(["fw:hi", "fw:skip"]);
      c.ws.close();
      await c.closed;
    } finally {
      roomsOf(cap.sched).forwarder = null;
    }
  });
});

describe("Ws.serve", () => {
  it("returns at once, prints the listening line when bound, reports bind failures", async () => {
    const probe = await listenWs({ onConnect: () => 0, onMessage: () => 0, onClose: () => 0 }, { port: 0 });
    const port = probe.port;
    await probe.close();
    cap.stderr.length = 0;
    const accept = (conn: number) => conn;
    expect(Ws.serve(accept, () => undefined, () => undefined, port)).toBeUndefined();
    await until(() => cap.stderr.length === 1, "listening line");
    expect(cap.stderr[0]).toBe(`[mesh-rt] WebSocket server listening on 0.0.0.0:${port}\n`);
    const c = connect(port, "/");
    await c.opened;
    c.ws.close();
    await c.closed;
    Ws.serve(accept, () => undefined, () => undefined, port);
    await until(() => cap.stderr.length === 2, "failure line");
    expect(cap.stderr[1]).toMatch(new RegExp(`^\\[mesh-rt\\] Failed to start WebSocket server on 0\\.0\\.0\\.0:${port}: .*EADDRINUSE`));
  });
});
