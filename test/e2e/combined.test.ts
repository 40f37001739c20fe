// One compiled program running a WebSocket server and the blocking HTTP server side by side
// (stdlib.md §30), sharing a service: handlers that suspend (service calls, Timer.sleep) run
// concurrently (§29.1, §31), state updates through the service are never lost, and HTTP requests
// broadcast into WebSocket rooms.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { HTTP_READY, WS_READY, buildProgram, freePort, get, sleep, startServer, stopAll, withTimeout, type Server } from "./harness.js";

afterAll(stopAll);

function wsClient(port: number, path: string): Promise<{ ws: WebSocket; messages: string[]; next: (n: number) => Promise<void> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  const messages: string[] = [];
  let wake: (() => void) | null = null;
  ws.on("message", (d) => {
    messages.push(String(d));
    wake?.();
  });
  ws.on("error", () => {});
  const next = (n: number) =>
    withTimeout(
      new Promise<void>((resolve) => {
        const check = () => (messages.length >= n ? resolve() : (wake = check));
        check();
      }),
      5000,
      `${n} messages on ${path} (got ${JSON.stringify(messages)})`,
    );
  return withTimeout(new Promise((resolve) => ws.once("open", () => resolve({ ws, messages, next }))), 5000, `ws open ${path}`);
}

describe("HTTP and WebSocket servers in one program, with a shared service", () => {
  let srv: Server;
  let wsPort: number;
  beforeAll(async () => {
    wsPort = await freePort();
    srv = await startServer(await buildProgram("http_ws_service"), { ready: HTTP_READY, env: { WS_PORT: String(wsPort) } });
    expect(srv.stderr.lines).toEqual([WS_READY(wsPort), HTTP_READY(srv.port)]);
  });
  afterAll(() => srv?.stop());

  it("suspending handlers run concurrently and do not hold up other requests", async () => {
    const t0 = Date.now();
    const finished: number[] = [];
    const slow = Array.from({ length: 10 }, () =>
      get(srv.port, "/slow?ms=1000").then((r) => {
        finished.push(Date.now());
        return r;
      }),
    );
    await sleep(100);
    const quick = await get(srv.port, "/hits?path=quick");
    const quickDone = Date.now();
    const rs = await Promise.all(slow);
    for (const r of rs) expect([r.status, r.body]).toEqual([200, "slept 1000"]);
    expect(quick.status).toBe(200);
    expect(quickDone).toBeLessThan(Math.min(...finished)); // answered while all ten handlers sleep
    expect(Date.now() - t0).toBeLessThan(5000); // not 10 x 1000 ms
  });

  it("service state updated from 100 concurrent requests loses nothing", async () => {
    const before = await get(srv.port, "/hits?path=count");
    const t0 = Number(/total=(\d+)/.exec(before.body)![1]);
    expect(before.body).toBe(`total=${t0} probes=1`);
    const rs = await Promise.all(Array.from({ length: 100 }, () => get(srv.port, "/hits?path=count")));
    const probes = rs.map((r) => Number(/probes=(\d+)/.exec(r.body)![1])).sort((a, b) => a - b);
    expect(probes).toEqual(Array.from({ length: 100 }, (_, i) => i + 2)); // every bump got its own number
    const after = await get(srv.port, "/hits?path=count");
    // each /hits request bumps twice: once in the middleware, once for the probe
    expect(after.body).toBe(`total=${t0 + 2 * 100 + 2} probes=102`);
  });

  it("handlers can call the HTTP client (here: their own server) and get Err strings for failures", async () => {
    const r = await get(srv.port, "/proxy");
    expect([r.status, r.body]).toEqual([200, `get=Ok(slept 10) post=Ok(failed=0) missing=Err(http://127.0.0.1:${srv.port}/missing: status code 404) refused=refused`]);
  });

  it("an HTTP request broadcasts into a WebSocket room", async () => {
    const a = await wsClient(wsPort, "/rooms/red");
    const b = await wsClient(wsPort, "/rooms/red");
    const c = await wsClient(wsPort, "/rooms/blue");
    try {
      let r = await get(srv.port, "/rooms/red", { method: "POST", body: "from http ✓" });
      expect([r.status, r.body]).toEqual([202, "failed=0"]);
      await a.next(1);
      await b.next(1);
      r = await get(srv.port, "/rooms/nobody", { method: "POST", body: "lost" });
      expect([r.status, r.body]).toEqual([202, "failed=0"]);
      c.ws.send("ping");
      await c.next(1);
      await sleep(100);
      expect(a.messages).toEqual(["from http ✓"]);
      expect(b.messages).toEqual(["from http ✓"]);
      expect(c.messages).toEqual(["echo ping"]);
    } finally {
      for (const x of [a, b, c]) x.ws.terminate();
    }
    expect(srv.alive).toBe(true);
  });
});
