// HTTP server: routing tiers, params, query, headers, middleware, crash isolation, limits and the
// exact wire format (stdlib.md §18, §29, Appendix B1/B2), driven with real sockets on 127.0.0.1.
import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP, Request, listenHttp, type RunningHttpServer } from "../../../runtime/web/index.js";
import type { MeshRequest } from "../../../runtime/web/request.js";
import { MeshPanic, sleep } from "../../../runtime/sched/index.js";
import { Some, None, type Option } from "../../../runtime/core/builtin-types.js";
import { MeshMap } from "../../../runtime/core/map.js";
import { installScheduler, rawHttp, header, type Captured } from "./harness.js";

const get = <T>(o: Option<T>): T | undefined => (o instanceof Some ? o._0 : undefined);

let cap: Captured;
beforeAll(() => {
  cap = installScheduler();
});

describe("B1: routing, parameters, query strings, headers", () => {
  let srv: RunningHttpServer;
  beforeAll(async () => {
    const withQuery = (id: string, req: MeshRequest) => {
      const v = get(Request.query(req, "verbose"));
      return v !== undefined ? HTTP.response(200, `item ${id} verbose=${v}`) : HTTP.response(200, `item ${id}`);
    };
    const item = (req: MeshRequest) => {
      const id = get(Request.param(req, "id"));
      return id !== undefined ? withQuery(id, req) : HTTP.response(400, "no id");
    };
    const special = () => HTTP.response(200, "special");
    const echo = (req: MeshRequest) =>
      HTTP.response(201, `${Request.method(req)} ${Request.path(req)} from ${get(Request.header(req, "x-client")) ?? "anonymous"}: ${Request.body(req)}`);
    const assets = () =>
      HTTP.response_with_headers(
        200,
        '{"ok":true}',
        MeshMap.fromPairs<string, string>([
          ["Cache-Control", "no-store"],
          ["X-Served-By", "mesh"],
        ]),
      );
    let r = HTTP.router();
    r = HTTP.on_get(r, "/items/:id", item);
    r = HTTP.on_get(r, "/items/special", special);
    r = HTTP.on_post(r, "/echo", echo);
    r = HTTP.route(r, "/static/*", assets);
    srv = await listenHttp(r, { port: 0, host: "127.0.0.1" });
  });
  afterAll(() => srv.close());

  const cases: [string, string, number, string][] = [
    ["1", "GET /items/42 HTTP/1.1\r\nHost: x\r\n\r\n", 200, "item 42"],
    ["2", "GET /items/42?verbose=yes%20please&x HTTP/1.1\r\nHost: x\r\n\r\n", 200, "item 42 verbose=yes please"],
    ["3", "GET /items/special HTTP/1.1\r\nHost: x\r\n\r\n", 200, "special"],
    ["4", "GET /items/42/ HTTP/1.1\r\nHost: x\r\n\r\n", 200, "item 42"],
    ["5", "POST /items/42 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 404, "Not Found"],
    ["6", "POST /echo HTTP/1.1\r\nHost: x\r\nX-Client: cli\r\nContent-Length: 5\r\n\r\nhello", 201, "POST /echo from cli: hello"],
    ["9", "GET /static HTTP/1.1\r\nHost: x\r\n\r\n", 200, '{"ok":true}'],
    ["10", "DELETE /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 404, "Not Found"],
  ];
  for (const [n, req, status, body] of cases) {
    it(`request ${n}`, async () => {
      const r = await rawHttp(srv.port, req);
      expect(r.status).toBe(status);
      expect(r.body).toBe(body);
      expect(r.headers.slice(0, 3)).toEqual([
        ["Content-Type", "application/json; charset=utf-8"],
        ["Content-Length", String(Buffer.byteLength(body))],
        ["Connection", "close"],
      ]);
      expect(header(r, "Date")).toBeUndefined();
    });
  }

  it("request 7: UTF-8 body and Content-Length in bytes", async () => {
    const body = Buffer.from("é", "utf8");
    const r = await rawHttp(srv.port, Buffer.concat([Buffer.from(`POST /echo?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
    expect(r.statusLine).toBe("HTTP/1.1 201 Created");
    expect(r.body).toBe("POST /echo from anonymous: é");
    expect(header(r, "Content-Length")).toBe("29");
  });

  it("request 8: custom headers after the defaults, in map order; exact bytes", async () => {
    const r = await rawHttp(srv.port, "GET /static/css/app.css HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(r.raw).toBe(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 11\r\nConnection: close\r\nCache-Control: no-store\r\nX-Served-By: mesh\r\n\r\n" +
        '{"ok":true}',
    );
  });

  it("works with fetch (chunked request body)", async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode("hel"));
        c.enqueue(new TextEncoder().encode("lo"));
        c.close();
      },
    });
    const res = await fetch(`http://127.0.0.1:${srv.port}/echo`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(res.status).toBe(201);
    expect(await res.text()).toBe("POST /echo from anonymous: hello");
  });
});

describe("B2: middleware, short-circuits and crash isolation", () => {
  let srv: RunningHttpServer;
  beforeAll(async () => {
    const requireKey = (req: MeshRequest, next: (r: MeshRequest) => unknown) => {
      const k = get(Request.header(req, "x-api-key"));
      if (k === undefined) return HTTP.response(401, '{"error":"unauthorized"}');
      return k === "secret" ? next(req) : HTTP.response(403, '{"error":"forbidden"}');
    };
    const tag = "v1";
    let r = HTTP.router();
    r = HTTP.on_get(r, "/health", () => HTTP.response(200, '{"status":"ok"}'));
    r = HTTP.use(r, requireKey);
    r = HTTP.on_get(r, "/crash", () => {
      throw new MeshPanic("index out of bounds");
    });
    r = HTTP.on_get(r, "/version", () => HTTP.response(200, tag));
    srv = await listenHttp(r, { port: 0, host: "127.0.0.1" });
  });
  afterAll(() => srv.close());

  const go = (path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${srv.port}${path}`, { headers });

  it("runs the whole table in order", async () => {
    const table: [string, Record<string, string>, number, string][] = [
      ["/health", {}, 401, '{"error":"unauthorized"}'],
      ["/health", { "X-API-Key": "wrong" }, 403, '{"error":"forbidden"}'],
      ["/health", { "x-api-key": "secret" }, 200, '{"status":"ok"}'],
      ["/missing", { "X-API-Key": "secret" }, 404, "Not Found"],
      ["/missing", {}, 401, '{"error":"unauthorized"}'],
      ["/crash", { "X-API-Key": "secret" }, 500, "Internal Server Error"],
      ["/version", { "X-API-Key": "secret" }, 200, "v1"],
      ["/health", { "x-api-key": "secret" }, 200, '{"status":"ok"}'],
    ];
    for (const [path, headers, status, body] of table) {
      const res = await go(path, headers);
      expect([path, res.status, await res.text()]).toEqual([path, status, body]);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    }
    expect(cap.stderr.join("")).toMatch(/crashed: index out of bounds/);
  });
});

describe("generator handlers, middleware params and concurrency", () => {
  let srv: RunningHttpServer;
  beforeAll(async () => {
    let r = HTTP.router();
    // a generator middleware that sees path parameters, around a generator handler that sleeps
    r = HTTP.use(r, function* (req: MeshRequest, next: (r: MeshRequest) => unknown) {
      const res = next(req);
      const out = (res !== null && typeof res === "object" && "next" in (res as object) ? yield* res as Generator<unknown, unknown, unknown> : res) as { body: string; status: number };
      return HTTP.response(out.status, `${get(Request.param(req, "ms")) ?? "-"}|${out.body}`);
    });
    r = HTTP.use(r, (req: MeshRequest, next: (r: MeshRequest) => unknown) => next(req));
    r = HTTP.on_get(r, "/sleep/:ms", function* (req: MeshRequest) {
      const ms = Number(get(Request.param(req, "ms")));
      yield* sleep(ms);
      return HTTP.response(200, `slept ${ms}`);
    });
    r = HTTP.on_get(r, "/a/:x/b/:y", (req: MeshRequest) => HTTP.response(200, `${get(Request.param(req, "x"))},${get(Request.param(req, "y"))}`));
    r = HTTP.route(r, "/files/:dir/*", (req: MeshRequest) => HTTP.response(200, `dir=${get(Request.param(req, "dir"))}`));
    r = HTTP.route(r, "/*", () => HTTP.response(200, "fallback"));
    srv = await listenHttp(r, { port: 0, host: "127.0.0.1" });
  });
  afterAll(() => srv.close());

  const text = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${srv.port}${path}`);
    return `${res.status} ${await res.text()}`;
  };

  it("a slow handler does not block others", async () => {
    const order: string[] = [];
    const slow = text("/sleep/400").then((t) => (order.push("slow"), t));
    await new Promise((r) => setTimeout(r, 20));
    const fast = await text("/sleep/1").then((t) => (order.push("fast"), t));
    expect(fast).toBe("200 1|slept 1");
    expect(await slow).toBe("200 400|slept 400");
    expect(order).toEqual(["fast", "slow"]);
  });

  it("params are percent-decoded, + kept, malformed escapes kept literally", async () => {
    expect(await text("/a/caf%C3%A9/b/1+2")).toBe("200 -|café,1+2");
    expect(await text("/a/%zz/b/%ff")).toBe("200 -|%zz,\uFFFD");
    expect(await text("/a//x//b/y/")).toBe("200 -|x,y");
  });

  it("wildcard tier with a parameter prefix, then the catch-all", async () => {
    expect(await text("/files/docs/a/b.txt")).toBe("200 -|dir=docs");
    expect(await text("/files/docs")).toBe("200 -|dir=docs");
    expect(await text("/anything/else")).toBe("200 -|fallback");
  });

  it("handles 200 concurrent requests", async () => {
    const all = await Promise.all(Array.from({ length: 200 }, (_, i) => text(`/sleep/${i % 20}`)));
    all.forEach((t, i) => expect(t).toBe(`200 ${i % 20}|slept ${i % 20}`));
  });
});

describe("request accessors", () => {
  let srv: RunningHttpServer;
  let last: MeshRequest | null = null;
  beforeAll(async () => {
    let r = HTTP.router();
    r = HTTP.route(r, "/*", (req: MeshRequest) => {
      last = req;
      return HTTP.response(200, "ok");
    });
    srv = await listenHttp(r, { port: 0, host: "127.0.0.1" });
  });
  afterAll(() => srv.close());

  it("query decoding, repeated names, empty values, header rules", async () => {
    await rawHttp(
      srv.port,
      "GET /p%20q?a=1&a=2&b=&c&d=x+y%2By&%E2%9C%93=ok&bad=%zz%e2 HTTP/1.1\r\nHost: x\r\nX-Rep: one\r\nx-rep: two\r\nX-Pad:   spaced   \r\nX-Utf: " +
        Buffer.from("ünï", "utf8").toString("latin1") +
        "\r\n\r\n",
    );
    const req = last!;
    expect(Request.path(req)).toBe("/p%20q");
    expect(get(Request.query(req, "a"))).toBe("2");
    expect(get(Request.query(req, "b"))).toBe("");
    expect(Request.query(req, "c")).toBe(None);
    expect(get(Request.query(req, "d"))).toBe("x y+y");
    expect(get(Request.query(req, "✓"))).toBe("ok");
    expect(get(Request.query(req, "bad"))).toBe("%zz\uFFFD");
    expect(get(Request.header(req, "X-REP"))).toBe("two");
    expect(get(Request.header(req, "x-pad"))).toBe("spaced");
    expect(get(Request.header(req, "x-utf"))).toBe("ünï");
    expect(Request.header(req, "nope")).toBe(None);
    expect(Request.param(req, "x")).toBe(None);
    expect(Request.body(req)).toBe("");
    expect(Request.method(req)).toBe("GET");
  });

  it("invalid UTF-8 in the body becomes U+FFFD", async () => {
    const body = Buffer.from([0x61, 0xff, 0x62]);
    await rawHttp(srv.port, Buffer.concat([Buffer.from(`PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n`), body]));
    expect(Request.body(last!)).toBe("a\uFFFDb");
    expect(Request.method(last!)).toBe("PUT");
  });
});

describe("limits, malformed requests and response edge cases", () => {
  let srv: RunningHttpServer;
  let calls = 0;
  beforeAll(async () => {
    let r = HTTP.router();
    r = HTTP.on_post(r, "/big", (req: MeshRequest) => {
      calls++;
      return HTTP.response(200, String(Request.body(req).length));
    });
    r = HTTP.on_get(r, "/status/:n", (req: MeshRequest) => HTTP.response(Number(get(Request.param(req, "n"))), "body"));
    r = HTTP.on_get(r, "/ctype", () =>
      HTTP.response_with_headers(
        200,
        "<p>",
        MeshMap.fromPairs<string, string>([
          ["X-First", "1"],
          ["content-type", "text/html"],
          ["Content-Length", "999"],
          ["connection", "keep-alive"],
          ["X-Bad", "a\r\nInjected: yes"],
          ["X-Uni", "ü"],
        ]),
      ),
    );
    r = HTTP.on_get(r, "/notresponse", () => 42);
    srv = await listenHttp(r, { port: 0, host: "127.0.0.1" });
  });
  afterAll(() => srv.close());

  it("body of exactly 8 MiB (the default limit) is accepted; one byte more is 413 without calling the handler", async () => {
    const max = 8 * 1024 * 1024;
    let res = await fetch(`http://127.0.0.1:${srv.port}/big`, { method: "POST", body: "a".repeat(max) });
    expect([res.status, await res.text()]).toEqual([200, String(max)]);
    const before = calls;
    const r = await rawHttp(srv.port, `POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: ${max + 1}\r\n\r\nabc`);
    expect([r.statusLine, r.body]).toEqual(["HTTP/1.1 413 Payload Too Large", "Payload Too Large"]);
    res = await fetch(`http://127.0.0.1:${srv.port}/big`, { method: "POST", body: "a".repeat(max + 1) });
    expect([res.status, await res.text()]).toEqual([413, "Payload Too Large"]);
    expect(calls).toBe(before);
  });

  it("chunked body over the limit is 413", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const r = await new Promise<string>((resolve) => {
      const s = net.connect(srv.port, "127.0.0.1");
      const got: Buffer[] = [];
      s.on("data", (c) => got.push(c));
      s.on("error", () => {});
      s.on("close", () => resolve(Buffer.concat(got).toString("latin1")));
      s.write("POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (let i = 0; i < 9; i++) s.write(`${chunk.length.toString(16)}\r\n`), s.write(chunk), s.write("\r\n");
    });
    expect(r.startsWith("HTTP/1.1 413 Payload Too Large\r\n")).toBe(true);
  });

  it("headers over 8 KiB are 431; a malformed request line is 400; the server stays up", async () => {
    let r = await rawHttp(srv.port, `GET /status/200 HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(9000)}\r\n\r\n`);
    expect([r.statusLine, r.body, header(r, "Content-Type")]).toEqual(["HTTP/1.1 431 Request Header Fields Too Large", "Request Header Fields Too Large", "application/json; charset=utf-8"]);
    r = await rawHttp(srv.port, "THIS IS NOT HTTP\r\n\r\n");
    expect([r.statusLine, r.body]).toEqual(["HTTP/1.1 400 Bad Request", "Bad Request"]);
    r = await rawHttp(srv.port, "GET /a b c HTTP/1.1\r\n\r\n");
    expect(r.status).toBe(400);
    r = await rawHttp(srv.port, "GET /status/200 HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    expect(r.status).toBe(400);
    r = await rawHttp(srv.port, "GET /status/200 HTTP/1.1\r\nHost: x\r\n\r\n");
    expect([r.status, r.body]).toEqual([200, "body"]);
  });

  it("a body shorter than its Content-Length (client hangs up) gets no response", async () => {
    const got = await new Promise<string>((resolve) => {
      const s = net.connect(srv.port, "127.0.0.1");
      let data = "";
      s.on("data", (c) => (data += c.toString()));
      s.on("error", () => {});
      s.on("close", () => resolve(data));
      s.write("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
      setTimeout(() => s.end(), 50);
    });
    expect(got).toBe("");
  });

  it("status codes: reasons, invalid codes, 204 without body", async () => {
    const line = async (n: string) => (await rawHttp(srv.port, `GET /status/${n} HTTP/1.1\r\nHost: x\r\n\r\n`)).statusLine;
    expect(await line("422")).toBe("HTTP/1.1 422 Unprocessable Entity");
    expect(await line("429")).toBe("HTTP/1.1 429 Too Many Requests");
    expect(await line("503")).toBe("HTTP/1.1 503 Service Unavailable");
    expect(await line("599")).toBe("HTTP/1.1 599 Unknown");
    expect(await line("600")).toBe("HTTP/1.1 500 Internal Server Error");
    expect(await line("42")).toBe("HTTP/1.1 500 Internal Server Error");
    const r = await rawHttp(srv.port, "GET /status/204 HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(r.raw).toBe("HTTP/1.1 204 No Content\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });

  it("custom Content-Type replaces the default; Content-Length/Connection ignored; CR/LF values dropped", async () => {
    const r = await rawHttp(srv.port, "GET /ctype HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(r.raw).toBe(
      "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nContent-Length: 3\r\nConnection: close\r\nX-First: 1\r\nX-Uni: " + Buffer.from("ü").toString("latin1") + "\r\n\r\n<p>",
    );
  });

  it("a handler returning a non-Response is a 500", async () => {
    const r = await rawHttp(srv.port, "GET /notresponse HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(r.status).toBe(500);
  });
});

describe("HTTP.serve", () => {
  it("prints the listening line, holds the program alive, and reports bind failures", async () => {
    const occupied = await listenHttp(HTTP.router(), { port: 0, host: "0.0.0.0" });
    const before = cap.sched.pendingHolds;
    const { inProcess } = await import("./harness.js");
    cap.stderr.length = 0;
    // bind failure: the call returns () after one stderr line
    const r = await inProcess(HTTP.serve, HTTP.router(), occupied.port);
    expect(r).toBeUndefined();
    expect(cap.stderr.join("")).toMatch(new RegExp(`^\\[mesh-rt\\] Failed to start HTTP server on 0\\.0\\.0\\.0:${occupied.port}: .*EADDRINUSE.*\\n$`));
    expect(cap.sched.pendingHolds).toBe(before);
    await occupied.close();
    expect(cap.sched.pendingHolds).toBe(before - 1);

    // success: the call never returns; the line appears once listening
    cap.stderr.length = 0;
    let returned = false;
    const probe = await listenHttp(HTTP.router(), { port: 0, host: "0.0.0.0" });
    const port = probe.port;
    await probe.close();
    void inProcess(HTTP.serve, HTTP.on_get(HTTP.router(), "/", () => HTTP.response(200, "up")), port).then(() => (returned = true));
    for (let i = 0; i < 100 && cap.stderr.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(cap.stderr).toEqual([`[mesh-rt] HTTP server listening on 0.0.0.0:${port}\n`]);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe("up");
    expect(returned).toBe(false);
    expect(cap.sched.pendingHolds).toBeGreaterThan(before - 1);
  });
});

describe("process exits and TLS", () => {
  it("a handler process killed by an exit signal still gets a 500", async () => {
    const { self, exit } = await import("../../../runtime/sched/index.js");
    const pids: unknown[] = [];
    const srv = await listenHttp(
      HTTP.on_get(HTTP.router(), "/wait", function* () {
        pids.push(self());
        yield* sleep(10_000);
        return HTTP.response(200, "late");
      }),
      { port: 0, host: "127.0.0.1" },
    );
    try {
      const t0 = Date.now();
      const res = fetch(`http://127.0.0.1:${srv.port}/wait`);
      while (pids.length === 0) await new Promise((r) => setTimeout(r, 5));
      exit(pids[0] as Parameters<typeof exit>[0], "kill");
      const r = await res;
      expect([r.status, await r.text()]).toEqual([500, "Internal Server Error"]);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      await srv.close();
    }
  });

  it("HTTP.serve_tls serves HTTPS; unreadable certificates are reported", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(`${tmpdir()}/mesh-tls-`);
    try {
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${dir}/k.pem`, "-out", `${dir}/c.pem`, "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
      const { inProcess } = await import("./harness.js");
      cap.stderr.length = 0;
      expect(await inProcess(HTTP.serve_tls, HTTP.router(), 0, `${dir}/missing.pem`, `${dir}/k.pem`)).toBeUndefined();
      expect(cap.stderr.join("")).toMatch(/^\[mesh-rt\] Failed to load TLS certificates: .*ENOENT/);
      const { readFileSync } = await import("node:fs");
      const srv = await listenHttp(HTTP.on_get(HTTP.router(), "/", () => HTTP.response(200, "secure")), {
        port: 0,
        host: "127.0.0.1",
        tls: { cert: readFileSync(`${dir}/c.pem`), key: readFileSync(`${dir}/k.pem`) },
      });
      try {
        const https = await import("node:https");
        const body = await new Promise<string>((resolve, reject) =>
          https
            .get({ host: "127.0.0.1", port: srv.port, path: "/", rejectUnauthorized: false }, (res) => {
              let b = "";
              res.on("data", (c) => (b += c));
              res.on("end", () => resolve(`${res.statusCode} ${b}`));
            })
            .on("error", reject),
        );
        expect(body).toBe("200 secure");
      } finally {
        await srv.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
