// Appendix B5 of stdlib.md (WebSocket rooms) from a compiled Mesh program, driven by `ws` clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { WS_READY, buildProgram, httpRequest, rawHttp, runProgram, sleep, startServer, stopAll, withTimeout, type Server } from "./harness.js";

afterAll(stopAll);

/** A client that records every text message and its close, with bounded waits. */
class Client {
  readonly ws: WebSocket;
  readonly messages: string[] = [];
  opened = false;
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  constructor(port: number, path: string) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers: { "User-Agent": "t" } });
    this.ws.on("open", () => {
      this.opened = true;
      this.wake();
    });
    this.ws.on("message", (data, isBinary) => {
      this.messages.push(isBinary ? `<binary ${String(data)}>` : String(data));
      this.wake();
    });
    this.ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    this.ws.on("error", () => {});
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => {
        const check = () => (pred() ? resolve() : this.waiters.push(check));
        check();
      }),
      ms,
      `${what} (messages so far: ${JSON.stringify(this.messages)}, closed: ${JSON.stringify(this.closed)})`,
    );
  }

  /** Waits until `text` has been received `count` times in total. */
  waitMessage(text: string, count = 1): Promise<void> {
    return this.until(() => this.messages.filter((m) => m === text).length >= count, `message ${JSON.stringify(text)} x${count}`);
  }

  waitClose(): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed !== null, "close").then(() => this.closed!);
  }

  waitOpen(): Promise<void> {
    return this.until(() => this.opened, "open");
  }
}

describe("B5: WebSocket rooms", () => {
  let srv: Server;
  const clients: Client[] = [];
  const connect = (path: string) => {
    const c = new Client(srv.port, path);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    srv = await startServer(await buildProgram("b5_ws_rooms"), { ready: WS_READY });
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await srv?.stop();
  });

  it("keeps running after main returns (R)", async () => {
    await sleep(300);
    expect(srv.alive).toBe(true);
  });

  it("runs the spec's seven steps", async () => {
    // 1
    const a = connect("/rooms/red");
    await a.waitMessage("joined red ua=t");
    // 2
    const b = connect("/rooms/red");
    const c = connect("/rooms/blue");
    await b.waitMessage("joined red ua=t");
    await c.waitMessage("joined blue ua=t");
    // 3: the handshake succeeds, then Close 1008 "rejected"; no callback output
    const d = connect("/admin");
    await d.waitOpen();
    expect(await d.waitClose()).toEqual({ code: 1008, reason: "rejected" });
    expect(d.messages).toEqual([]);
    // 4
    a.ws.send("red:hello");
    await b.waitMessage("hello");
    await a.waitMessage("sent");
    await srv.waitStdoutLine("relayed hello");
    // 5
    c.ws.send("red:x:y");
    await a.waitMessage("x:y");
    await b.waitMessage("x:y");
    await c.waitMessage("sent");
    await srv.waitStdoutLine("relayed x:y");
    // 6: the peer's own code is not reported
    b.ws.close(4000, "bye");
    expect((await b.waitClose()).code).toBe(4000); // the server echoes the peer's close
    await srv.waitStdoutLine("closed 1000 []");
    // 7
    a.ws.send("red:again");
    await a.waitMessage("sent", 2);
    await srv.waitStdoutLine("relayed again");
    await sleep(200); // anything misrouted would have arrived by now

    expect(a.messages).toEqual(["joined red ua=t", "sent", "x:y", "sent"]);
    expect(b.messages).toEqual(["joined red ua=t", "hello", "x:y"]);
    expect(c.messages).toEqual(["joined blue ua=t", "sent"]);
    expect(d.messages).toEqual([]);
    expect(srv.stdout.text).toBe("relayed hello\nrelayed x:y\nclosed 1000 []\nrelayed again\n");
    expect(srv.stderr.lines).toEqual([WS_READY(srv.port)]);
  });

  it("binary messages arrive as text; unicode survives; a lost transport reports closed 1000", async () => {
    const out0 = srv.stdout.lines.length;
    const e = connect("/rooms/green");
    const f = connect("/rooms/green");
    await e.waitMessage("joined green ua=t");
    await f.waitMessage("joined green ua=t");
    e.ws.send(Buffer.from("green:bin é 😀"), { binary: true });
    await f.waitMessage("bin é 😀");
    await e.waitMessage("sent");
    await srv.waitStdoutLine("relayed bin é 😀");
    f.ws.terminate(); // no close frame: transport loss
    await srv.waitStdoutLine("closed 1000 []", 2);
    e.ws.send("green:anyone?");
    await e.waitMessage("sent", 2);
    await srv.waitStdoutLine("relayed anyone?");
    expect(srv.stdout.lines.slice(out0)).toEqual(["relayed bin é 😀", "closed 1000 []", "relayed anyone?"]);
  });

  it("a text frame with invalid UTF-8 closes that connection with 1007; others are unaffected", async () => {
    const g = connect("/rooms/amber");
    const h = connect("/rooms/amber");
    await g.waitMessage("joined amber ua=t");
    await h.waitMessage("joined amber ua=t");
    const closedBefore = srv.stdout.lines.filter((l) => l === "closed 1000 []").length;
    g.ws.send(Buffer.from([0x61, 0x6d, 0x62, 0x65, 0x72, 0x3a, 0xff, 0xfe]), { binary: false });
    expect((await g.waitClose()).code).toBe(1007);
    // on_close still runs exactly once for it (with 1000: the close was caused by the peer)
    await srv.waitStdoutLine("closed 1000 []", closedBefore + 1);
    h.ws.send("amber:still here");
    await h.waitMessage("sent");
    await srv.waitStdoutLine("relayed still here");
    expect(g.messages).toEqual(["joined amber ua=t"]);
    await sleep(100);
    expect(srv.stdout.lines.filter((l) => l === "closed 1000 []").length).toBe(closedBefore + 1);
  });

  it("on_connect sees the raw target including the query string", async () => {
    const q = connect("/rooms/q%20r?x=1&y");
    await q.waitMessage("joined q%20r?x=1&y ua=t");
  });

  it("a plain HTTP request to the WebSocket port gets 400 and runs no callback", async () => {
    const before = srv.stdout.text;
    const r = await rawHttp(srv.port, httpRequest("GET", "/rooms/red"));
    expect(r.statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(r.body).toBe("Bad Request");
    await sleep(100);
    expect(srv.stdout.text).toBe(before);
    const ok = connect("/rooms/red");
    await ok.waitMessage("joined red ua=t");
  });

  it("a second copy on the same port reports the bind failure and exits (nothing is listening)", async () => {
    const r = await runProgram(await buildProgram("b5_ws_rooms"), { PORT: String(srv.port) }, { timeoutMs: 20_000 });
    expect(r.stderr).toMatch(new RegExp(`^\\[mesh-rt\\] Failed to start WebSocket server on 0\\.0\\.0\\.0:${srv.port}: .+\\n$`));
    expect([r.stdout, r.status]).toEqual(["", 0]);
  });

  it("many clients in one room all receive a broadcast", async () => {
    const members = Array.from({ length: 30 }, () => connect("/rooms/crowd"));
    await Promise.all(members.map((m) => m.waitMessage("joined crowd ua=t")));
    const sender = connect("/rooms/crowd");
    await sender.waitMessage("joined crowd ua=t");
    sender.ws.send("crowd:hi all");
    await Promise.all(members.map((m) => m.waitMessage("hi all")));
    await sender.waitMessage("sent");
    expect(sender.messages).toEqual(["joined crowd ua=t", "sent"]);
    expect(srv.alive).toBe(true);
  });
});

describe("WebSocket callbacks that panic (stdlib.md §20.1)", () => {
  let srv: Server;
  const clients: Client[] = [];
  const connect = (path: string) => {
    const c = new Client(srv.port, path);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    srv = await startServer(await buildProgram("ws_failures"), { ready: WS_READY });
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await srv?.stop();
  });

  it("a panicking on_connect closes with 1011 and runs no on_close", async () => {
    const errBefore = srv.stderr.lines.length;
    const c = connect("/boom");
    expect((await c.waitClose()).code).toBe(1011);
    expect(c.messages).toEqual([]);
    await srv.waitStderrLines(errBefore + 1);
    expect(srv.stderr.lines.slice(errBefore).join("\n")).toContain("connect boom");
    await sleep(100);
    expect(srv.stdout.text).toBe("");
  });

  it("a panicking on_message closes with 1011 'internal error'; on_close sees it and dead handles", async () => {
    const c = connect("/x");
    await c.waitMessage("hello unknown=-1");
    c.ws.send("one");
    await c.waitMessage("got one");
    c.ws.send("crash");
    expect(await c.waitClose()).toEqual({ code: 1011, reason: "internal error" });
    await srv.waitStdoutLine("closed 1011 [internal error] send=-1 join=-1 leave=-1");
    expect(c.messages).toEqual(["hello unknown=-1", "got one"]);
  });

  it("messages are handled once each, in order; a normal close runs on_close once", async () => {
    const c = connect("/y");
    await c.waitMessage("hello unknown=-1");
    for (let i = 0; i < 500; i++) c.ws.send(`m${i}`);
    await c.waitMessage("got m499");
    expect(c.messages).toEqual(["hello unknown=-1", ...Array.from({ length: 500 }, (_, i) => `got m${i}`)]);
    c.ws.close(1000);
    await srv.waitStdoutLine("closed 1000 [] send=-1 join=-1 leave=-1");
    await sleep(100);
    expect(srv.stdout.lines).toEqual(["closed 1011 [internal error] send=-1 join=-1 leave=-1", "closed 1000 [] send=-1 join=-1 leave=-1"]);
    expect(srv.alive).toBe(true);
  });
});
