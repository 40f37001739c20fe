// The web runtime's resource limits (README "Limits", runtime/web/limits.ts) against real sockets on
// 127.0.0.1: the node-wide body budget (503 + Retry-After, connection closed, budget given back),
// header and idle timeouts, WebSocket send backpressure (a client that does not read is closed with
// 1008, the server's memory stays bounded), a WebSocket process killed by an exit signal closes
// its connection at once (exit hook), and the environment variables.
import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { HTTP, LIMIT_VARS, Request, Ws, listenHttp, listenWs, webLimits, webState } from "../../../runtime/web/index.js";
import { exit, self, sleep, type Pid } from "../../../runtime/sched/index.js";
import { installScheduler, rawHttp, header, type Captured } from "./harness.js";

let cap: Captured;
beforeAll(() => {
  cap = installScheduler();
});

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Opens a socket, writes `head` and `bodyBytes` bytes of body, and keeps it open until closed by the server. */
function partialUpload(port: number, head: string, bodyBytes: number): { closed: Promise<string>; sock: net.Socket } {
  const sock = net.connect(port, "127.0.0.1");
  const got: Buffer[] = [];
  sock.on("data", (c) => got.push(c));
  sock.on("error", () => {});
  const closed = new Promise<string>((r) => sock.on("close", () => r(Buffer.concat(got).toString("latin1"))));
  sock.write(head);
  if (bodyBytes > 0) sock.write(Buffer.alloc(bodyBytes, 0x61));
  return { closed, sock };
}

describe("environment", () => {
  it("every limit has a default and reads a positive integer from its variable; bad values are ignored", () => {
    const defaults = webLimits({});
    expect(defaults).toEqual({
      maxBodyBytes: 8 * 1024 * 1024,
      maxBufferedBodyBytes: 64 * 1024 * 1024,
      headerTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      idleTimeoutMs: 5_000,
      clientMaxResponseBytes: 64 * 1024 * 1024,
      wsMaxBufferedBytes: 4 * 1024 * 1024,
      wsMaxQueuedBytes: 16 * 1024 * 1024,
    });
    const env: Record<string, string> = {};
    LIMIT_VARS.forEach(([, name], i) => (env[name] = String(1000 + i)));
    const set = webLimits(env);
    LIMIT_VARS.forEach(([key], i) => expect(set[key]).toBe(1000 + i));
    expect(webLimits({ MESH_HTTP_MAX_BODY_BYTES: "-5", MESH_HTTP_IDLE_TIMEOUT_MS: "abc", MESH_WS_MAX_BUFFERED_BYTES: "1.5" })).toEqual(defaults);
  });
});

describe("HTTP server limits", () => {
  it("bodies buffered across connections over the budget: 503 + Retry-After, connection closed, budget given back", async () => {
    let calls = 0;
    const r = HTTP.on_post(HTTP.router(), "/up", (req: unknown) => {
      calls++;
      return HTTP.response(200, String(Request.body(req as never).length));
    });
    const srv = await listenHttp(r, { port: 0, host: "127.0.0.1", limits: { maxBufferedBodyBytes: 1_000_000, maxBodyBytes: 600_000 } });
    try {
      const st = webState(cap.sched);
      // two half-sent bodies of 400 kB each: 800 kB buffered, under the 1 MB budget
      const a = partialUpload(srv.port, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n", 400_000);
      const b = partialUpload(srv.port, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n", 400_000);
      await until(() => st.bufferedBodyBytes === 800_000, "800 kB buffered");
      // a third pushes the total over the budget: it is refused, the first two are untouched
      const c = partialUpload(srv.port, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n", 300_000);
      const refused = await c.closed;
      expect(refused.split("\r\n")[0]).toBe("HTTP/1.1 503 Service Unavailable");
      expect(refused).toContain("\r\nRetry-After: 1\r\n");
      expect(refused).toContain("\r\nConnection: close\r\n");
      expect(refused.endsWith("\r\n\r\nService Unavailable")).toBe(true);
      expect(st.bufferedBodyBytes).toBe(800_000);
      // the first completes normally and the handler sees the whole body
      a.sock.write(Buffer.alloc(100_000, 0x62));
      expect((await a.closed).endsWith("\r\n\r\n500000")).toBe(true);
      // the second hangs up half-way: its bytes are given back too
      b.sock.destroy();
      await until(() => st.bufferedBodyBytes === 0, "budget back to 0");
      expect(calls).toBe(1);
      // a small request is served as usual
      const ok = await rawHttp(srv.port, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
      expect([ok.status, ok.body]).toEqual([200, "3"]);
    } finally {
      await srv.close();
    }
  });

  it("a client that never finishes its headers is disconnected after the header timeout", async () => {
    const srv = await listenHttp(HTTP.on_get(HTTP.router(), "/", () => HTTP.response(200, "hi")), { port: 0, host: "127.0.0.1", limits: { headerTimeoutMs: 300 } });
    try {
      const t0 = Date.now();
      const slow = partialUpload(srv.port, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a", 0);
      const trickle = setInterval(() => slow.sock.write("a"), 50);
      const reply = await slow.closed;
      clearInterval(trickle);
      expect(reply).toBe(""); // closed without a response
      expect(Date.now() - t0).toBeLessThan(5000);
      const ok = await rawHttp(srv.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(ok.body).toBe("hi");
    } finally {
      await srv.close();
    }
  });

  it("keep-alive connections idle longer than the idle timeout are closed", async () => {
    const srv = await listenHttp(HTTP.on_get(HTTP.router(), "/", () => HTTP.response(200, "hi")), { port: 0, host: "127.0.0.1", keepAlive: true, limits: { idleTimeoutMs: 200 } });
    try {
      const s = partialUpload(srv.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0);
      const reply = await s.closed;
      expect(reply.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
      expect(header({ headers: reply.split("\r\n").slice(1).filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]) } as never, "Connection")).toBe("keep-alive");
    } finally {
      await srv.close();
    }
  });
});

describe("WebSocket limits", () => {
  it("a client that does not read is closed with 1008 once its send buffer passes the limit; on_close sees 1008", async () => {
    const closes: string[] = [];
    let sent = 0;
    let refusedAt = -1;
    const srv = await listenWs(
      {
        onConnect: (conn: number) => {
          Ws.join(conn, "firehose");
          return conn;
        },
        onMessage: () => undefined,
        onClose: (conn: number, code: number, reason: string) => void closes.push(`${code} ${reason}`),
      },
      { port: 0, host: "127.0.0.1", limits: { wsMaxBufferedBytes: 256 * 1024 } },
    );
    try {
      // a raw client that completes the handshake and then never reads
      const sock = net.connect(srv.port, "127.0.0.1");
      sock.on("error", () => {});
      const sockClosed = new Promise<void>((r) => sock.on("close", () => r()));
      let handshake = "";
      await new Promise<void>((resolve) => {
        const onData = (d: Buffer): void => {
          handshake += d.toString("latin1");
          if (handshake.includes("\r\n\r\n")) {
            sock.pause();
            sock.off("data", onData);
            resolve();
          }
        };
        sock.on("data", onData);
        sock.write("GET /x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      });
      expect(handshake.split("\r\n")[0]).toBe("HTTP/1.1 101 Switching Protocols");
      await until(() => webState(cap.sched).rooms.registry.members("firehose").length === 1, "joined");
      const msg = "x".repeat(64 * 1024);
      // broadcast until the connection is refused (never more than the loopback buffers can take
      // plus the limit; 2,000 x 64 KiB = 125 MiB would mean no backpressure at all)
      for (let i = 0; i < 2000 && refusedAt < 0; i++) {
        if (Ws.broadcast("firehose", msg) === 1) refusedAt = i;
        else sent++;
        await new Promise((r) => setImmediate(r));
      }
      expect(refusedAt).toBeGreaterThan(0);
      // the server ends the connection after a short grace (the paused client cannot see that
      // until it reads, so look at the server side first, then drain the client)
      await until(() => closes.length === 1, "on_close");
      sock.on("data", () => undefined);
      sock.resume();
      await sockClosed;
      expect(closes).toEqual(["1008 send buffer limit exceeded"]);
      expect(webState(cap.sched).rooms.registry.members("firehose")).toEqual([]);
      expect(sent).toBeLessThan(2000);
    } finally {
      await srv.close();
    }
  });

  it("a connection whose process is killed is closed at once with 1011 (exit hook), no on_close", async () => {
    const pids: Pid[] = [];
    const closes: number[] = [];
    const srv = await listenWs(
      {
        onConnect: (conn: number) => conn,
        onMessage: function* () {
          pids.push(self());
          yield* sleep(60_000);
        },
        onClose: (_c: number, code: number) => void closes.push(code),
      },
      { port: 0, host: "127.0.0.1" },
    );
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/`);
      ws.on("error", () => {});
      const closed = new Promise<number>((r) => ws.on("close", (code) => r(code)));
      await new Promise((r) => ws.on("open", r));
      ws.send("wait");
      await until(() => pids.length === 1, "handler running");
      const t0 = Date.now();
      exit(pids[0], "kill");
      expect(await closed).toBe(1011);
      expect(Date.now() - t0).toBeLessThan(500); // no sweep interval involved
      expect(closes).toEqual([]);
    } finally {
      await srv.close();
    }
  });
});

afterAll(() => undefined);
