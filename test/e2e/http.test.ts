// Appendix B1 and B2 of stdlib.md, plus malformed requests, from compiled Mesh programs: each
// program is built with `meshc build`, started on a free port, and driven with Node's fetch and
// with raw sockets (for the exact wire format of §29.3).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HTTP_READY, buildProgram, defaultHeaders, get, httpRequest, parseReply, rawHttp, runProgram, sleep, startServer, stopAll, withTimeout, type RawReply, type Server,
} from "./harness.js";
import * as net from "node:net";

afterAll(stopAll);

/** Exact wire check: status line, header list (names, order, values) and body. */
function expectWire(r: RawReply, statusLine: string, body: string, extraHeaders: [string, string][] = []): void {
  expect(r.statusLine).toBe(statusLine);
  expect(r.headers).toEqual([...defaultHeaders(body), ...extraHeaders]);
  expect(r.body).toBe(body);
}

describe("B1: routing, parameters, query strings, headers", () => {
  let srv: Server;
  beforeAll(async () => {
    srv = await startServer(await buildProgram("b1_routing"), { ready: HTTP_READY });
  });
  afterAll(() => srv?.stop());

  // [#, method, target, headers, body, status line, response body, extra response headers]
  const table: [number, string, string, [string, string][], string | undefined, string, string, [string, string][]][] = [
    [1, "GET", "/items/42", [], undefined, "HTTP/1.1 200 OK", "item 42", []],
    [2, "GET", "/items/42?verbose=yes%20please&x", [], undefined, "HTTP/1.1 200 OK", "item 42 verbose=yes please", []],
    [3, "GET", "/items/special", [], undefined, "HTTP/1.1 200 OK", "special", []],
    [4, "GET", "/items/42/", [], undefined, "HTTP/1.1 200 OK", "item 42", []],
    [5, "POST", "/items/42", [], "", "HTTP/1.1 404 Not Found", "Not Found", []],
    [6, "POST", "/echo", [["X-Client", "cli"]], "hello", "HTTP/1.1 201 Created", "POST /echo from cli: hello", []],
    [7, "POST", "/echo?q=1", [], "é", "HTTP/1.1 201 Created", "POST /echo from anonymous: é", []],
    [8, "GET", "/static/css/app.css", [], undefined, "HTTP/1.1 200 OK", '{"ok":true}', [["Cache-Control", "no-store"], ["X-Served-By", "mesh"]]],
    [9, "GET", "/static", [], undefined, "HTTP/1.1 200 OK", '{"ok":true}', [["Cache-Control", "no-store"], ["X-Served-By", "mesh"]]],
    [10, "DELETE", "/nowhere", [], undefined, "HTTP/1.1 404 Not Found", "Not Found", []],
  ];

  for (const [n, method, target, headers, body, statusLine, expected, extra] of table) {
    it(`#${n} ${method} ${target} (fetch)`, async () => {
      const r = await get(srv.port, target, { method, headers, body });
      expect(r.status).toBe(Number(statusLine.split(" ")[1]));
      expect(r.statusText).toBe(statusLine.split(" ").slice(2).join(" "));
      expect(r.body).toBe(expected);
      expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(r.headers.get("content-length")).toBe(String(Buffer.byteLength(expected)));
      expect(r.headers.get("connection")).toBe("close");
      expect(r.headers.get("date")).toBeNull();
      for (const [k, v] of extra) expect(r.headers.get(k)).toBe(v);
    });

    it(`#${n} ${method} ${target} (exact wire format)`, async () => {
      const r = await rawHttp(srv.port, httpRequest(method, target, { headers, body }));
      expectWire(r, statusLine, expected, extra);
    });
  }

  it("#7 counts Content-Length in UTF-8 bytes", async () => {
    const r = await rawHttp(srv.port, httpRequest("POST", "/echo?q=1", { body: "é" }));
    expect(r.headers).toContainEqual(["Content-Length", "29"]);
    expect(r.bodyBytes.length).toBe(29);
  });

  it("header names are matched case-insensitively, values trimmed, the last repeated one wins", async () => {
    const r = await rawHttp(srv.port, httpRequest("POST", "/echo", { headers: [["x-CLIENT", "first"], ["X-Client", "  second  "]], body: "b" }));
    expectWire(r, "HTTP/1.1 201 Created", "POST /echo from second: b");
  });

  it("query values decode + and UTF-8 %XX; the last repeated name wins; Request.path stays raw", async () => {
    let r = await get(srv.port, "/items/%E2%82%AC?verbose=a+b%2Bc%C3%A9&verbose=z%20z");
    expect(r.body).toBe("item € verbose=z z");
    r = await get(srv.port, "/items/7?verbose=");
    expect(r.body).toBe("item 7 verbose=");
    const raw = await rawHttp(srv.port, httpRequest("POST", "/echo?%41=1", { body: "p" }));
    expectWire(raw, "HTTP/1.1 201 Created", "POST /echo from anonymous: p");
  });

  it("the server is still the same process after every request", () => {
    expect(srv.alive).toBe(true);
  });

  it("a second copy on the same port reports the bind failure on stderr and main returns", async () => {
    const r = await runProgram(await buildProgram("b1_routing"), { PORT: String(srv.port) }, { timeoutMs: 20_000 });
    expect(r.stderr).toMatch(new RegExp(`^\\[mesh-rt\\] Failed to start HTTP server on 0\\.0\\.0\\.0:${srv.port}: .+\\n$`));
    expect([r.stdout, r.status]).toEqual(["", 0]);
    expect((await get(srv.port, "/items/1")).body).toBe("item 1");
  });
});

describe("B2: middleware, short-circuits and crash isolation", () => {
  let srv: Server;
  beforeAll(async () => {
    srv = await startServer(await buildProgram("b2_middleware"), { ready: HTTP_READY });
  });
  afterAll(() => srv?.stop());

  const key = (k: string): [string, string][] => [["X-API-Key", k]];
  const steps: [number, string, [string, string][], number, string][] = [
    [1, "/health", [], 401, '{"error":"unauthorized"}'],
    [2, "/health", key("wrong"), 403, '{"error":"forbidden"}'],
    [3, "/health", [["x-api-key", "secret"]], 200, '{"status":"ok"}'],
    [4, "/missing", key("secret"), 404, "Not Found"],
    [5, "/missing", [], 401, '{"error":"unauthorized"}'],
    [6, "/crash", key("secret"), 500, "Internal Server Error"],
    [7, "/version", key("secret"), 200, "v1"],
    [8, "/health", [["x-api-key", "secret"]], 200, '{"status":"ok"}'],
  ];

  it("runs the spec's eight requests in order, with exactly one stderr line for the crash", async () => {
    const reasons: Record<number, string> = { 200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error" };
    const stderrBefore = srv.stderr.lines.length; // the readiness line
    for (const [n, target, headers, status, body] of steps) {
      const r = await rawHttp(srv.port, httpRequest("GET", target, { headers }));
      expectWire(r, `HTTP/1.1 ${status} ${reasons[status]}`, body);
      if (n === 6) {
        await srv.waitStderrLines(stderrBefore + 1);
        await sleep(100); // nothing more may follow
        const added = srv.stderr.lines.slice(stderrBefore);
        expect(added).toHaveLength(1);
        expect(added[0]).toMatch(/index 5 out of bounds/);
      }
    }
    expect(srv.alive).toBe(true);
    expect(srv.stdout.text).toBe("");
  });

  it("the same requests through fetch", async () => {
    for (const [, target, headers, status, body] of steps) {
      const r = await get(srv.port, target, { headers });
      expect([r.status, r.body]).toEqual([status, body]);
      expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    }
  });

  it("crashes are isolated: concurrent crashing and healthy requests each get their own answer", async () => {
    const before = srv.stderr.lines.length;
    const jobs = Array.from({ length: 40 }, (_, i) =>
      i % 4 === 0 ? get(srv.port, "/crash", { headers: key("secret") }) : get(srv.port, "/health", { headers: key("secret") }),
    );
    const rs = await Promise.all(jobs);
    rs.forEach((r, i) => expect([i, r.status, r.body]).toEqual(i % 4 === 0 ? [i, 500, "Internal Server Error"] : [i, 200, '{"status":"ok"}']));
    await srv.waitStderrLines(before + 10);
    await sleep(100);
    expect(srv.stderr.lines.length).toBe(before + 10);
    expect((await get(srv.port, "/version", { headers: key("secret") })).body).toBe("v1");
  });
});

describe("malformed and hostile requests: 4xx, and the server stays up", () => {
  let srv: Server;
  beforeAll(async () => {
    srv = await startServer(await buildProgram("http_hardening"), { ready: HTTP_READY });
  });
  afterAll(() => srv?.stop());

  /** After every bad request, a good one must still be served. */
  async function stillServing(): Promise<void> {
    const r = await rawHttp(srv.port, httpRequest("GET", "/ok"));
    expectWire(r, "HTTP/1.1 200 OK", "ok");
    expect(srv.alive).toBe(true);
  }
  const bad = (msg: string) => JSON.stringify({ error: msg });

  it("bad JSON body: 400 from the program", async () => {
    for (const body of ['{"a":[1,2', "", "{'a':1}", '{"a":1,}', "NaN", '{"a":1} trailing']) {
      const r = await rawHttp(srv.port, httpRequest("POST", "/json", { body }));
      expectWire(r, "HTTP/1.1 400 Bad Request", bad("invalid JSON"));
      await stillServing();
    }
    const ok = await get(srv.port, "/json", { method: "POST", body: '{"b":1,"a":"é","n":[1,2.5,null]}', headers: { "content-type": "application/json" } });
    expect([ok.status, ok.body]).toEqual([200, '{"echo":{"a":"é","b":1,"n":[1,2.5,null]}}']);
  });

  it("invalid UTF-8 in the body or a header: 400 from the program (the runtime turns it into U+FFFD)", async () => {
    const body = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xc3]), Buffer.from('"}')]);
    let r = await rawHttp(srv.port, httpRequest("POST", "/json", { body }));
    expectWire(r, "HTTP/1.1 400 Bad Request", bad("body is not valid UTF-8"));
    await stillServing();
    const req = Buffer.concat([Buffer.from("GET /hello HTTP/1.1\r\nHost: x\r\nX-Name: caf"), Buffer.from([0xe9]), Buffer.from("\r\nConnection: close\r\n\r\n")]);
    r = await rawHttp(srv.port, req);
    expectWire(r, "HTTP/1.1 400 Bad Request", bad("header is not valid UTF-8"));
    await stillServing();
    // valid UTF-8 in a header value arrives decoded
    r = await rawHttp(srv.port, httpRequest("GET", "/hello", { headers: [["X-Name", Buffer.from("café", "utf8").toString("latin1")]] }));
    expectWire(r, "HTTP/1.1 200 OK", "hello café");
  });

  it("invalid UTF-8 in the query: percent-encoded (program 400) and raw bytes (runtime 400)", async () => {
    let r = await rawHttp(srv.port, httpRequest("GET", "/search?q=%FF%FE"));
    expectWire(r, "HTTP/1.1 400 Bad Request", bad("query is not valid UTF-8"));
    await stillServing();
    r = await rawHttp(srv.port, Buffer.concat([Buffer.from("GET /search?q="), Buffer.from([0xff, 0xfe]), Buffer.from(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")]));
    expectWire(r, "HTTP/1.1 400 Bad Request", "Bad Request");
    await stillServing();
    r = await rawHttp(srv.port, httpRequest("GET", "/search?q=caf%C3%A9+au+lait"));
    expectWire(r, "HTTP/1.1 200 OK", "q=[café au lait]");
  });

  it("bad percent-encoding: lenient accessors (§18.2), rejected by the program where it validates", async () => {
    let r = await rawHttp(srv.port, httpRequest("GET", "/raw?q=%zz%4%"));
    expectWire(r, "HTTP/1.1 200 OK", "q=[%zz%4%]");
    await stillServing();
    for (const target of ["/files/%zz", "/files/abc%", "/files/%C3", "/files/%E2%82"]) {
      r = await rawHttp(srv.port, httpRequest("GET", target));
      expectWire(r, "HTTP/1.1 400 Bad Request", bad("bad percent-encoding in path"));
      await stillServing();
    }
    r = await rawHttp(srv.port, httpRequest("GET", "/files/r%C3%A9sum%C3%A9+v2.txt"));
    expectWire(r, "HTTP/1.1 200 OK", "file résumé+v2.txt");
  });

  it("malformed request lines and bad framing: 400 from the runtime", async () => {
    const cases = [
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET /ok HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET /ok HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
      "GET /ok HTTP/1.1\r\nHost: x\r\nX-Ctl: a\u0001b\r\n\r\n",
      "POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
      "POST /size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    ];
    for (const c of cases) {
      const r = await rawHttp(srv.port, Buffer.from(c, "latin1"));
      expectWire(r, "HTTP/1.1 400 Bad Request", "Bad Request");
      await stillServing();
    }
  });

  it("headers over 8 KiB: 431", async () => {
    const r = await rawHttp(srv.port, httpRequest("GET", "/ok", { headers: [["X-Big", "a".repeat(9000)]] }));
    expectWire(r, "HTTP/1.1 431 Request Header Fields Too Large", "Request Header Fields Too Large");
    await stillServing();
  });

  it("bodies over 8 MiB (the default MESH_HTTP_MAX_BODY_BYTES): 413 without calling the handler (Content-Length and chunked); exactly 8 MiB is served", async () => {
    const LIMIT = 8 * 1024 * 1024;
    let r = await rawHttp(srv.port, Buffer.from(`POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMIT + 1}\r\nConnection: close\r\n\r\n`));
    expectWire(r, "HTTP/1.1 413 Payload Too Large", "Payload Too Large");
    await stillServing();
    const chunk = Buffer.alloc(1024 * 1024, "x");
    const parts: Buffer[] = [Buffer.from("POST /size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")];
    for (let i = 0; i < 9; i++) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
    parts.push(Buffer.from("0\r\n\r\n"));
    r = await rawHttp(srv.port, parts, 30_000);
    expectWire(r, "HTTP/1.1 413 Payload Too Large", "Payload Too Large");
    await stillServing();
    r = await rawHttp(srv.port, httpRequest("POST", "/size", { body: Buffer.alloc(LIMIT, "y") }), 30_000);
    expectWire(r, "HTTP/1.1 200 OK", String(LIMIT));
    await stillServing();
  });

  it("chunked bodies are decoded", async () => {
    const req = "POST /size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\n\xc3\xa9\r\n0\r\n\r\n";
    const r = await rawHttp(srv.port, Buffer.from(req, "latin1"));
    expectWire(r, "HTTP/1.1 200 OK", "4");
  });

  it("a client that hangs up before sending the whole body gets no response and harms nobody", async () => {
    await withTimeout(
      new Promise<void>((resolve) => {
        const s = net.connect(srv.port, "127.0.0.1", () => {
          s.write("POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a part");
          setTimeout(() => s.destroy(), 50);
        });
        let got = "";
        s.on("data", (d: Buffer) => (got += d.toString()));
        s.on("error", () => {});
        s.on("close", () => {
          expect(got).toBe("");
          resolve();
        });
      }),
      5000,
      "the truncated request's connection to close",
    );
    await stillServing();
  });

  it("a panicking handler: 500 for that request only, one stderr line, then business as usual", async () => {
    const before = srv.stderr.lines.length;
    const [p, ok] = await Promise.all([rawHttp(srv.port, httpRequest("GET", "/panic")), rawHttp(srv.port, httpRequest("GET", "/ok"))]);
    expectWire(p, "HTTP/1.1 500 Internal Server Error", "Internal Server Error");
    expectWire(ok, "HTTP/1.1 200 OK", "ok");
    await srv.waitStderrLines(before + 1);
    await sleep(100);
    const added = srv.stderr.lines.slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toContain("boom: handler gave up");
    await stillServing();
  });

  it("status codes: reason phrases, out-of-range becomes 500, 204 drops the body", async () => {
    let r = await rawHttp(srv.port, httpRequest("GET", "/status/422"));
    expectWire(r, "HTTP/1.1 422 Unprocessable Entity", "status body");
    r = await rawHttp(srv.port, httpRequest("GET", "/status/299"));
    expectWire(r, "HTTP/1.1 299 Unknown", "status body");
    r = await rawHttp(srv.port, httpRequest("GET", "/status/700"));
    expectWire(r, "HTTP/1.1 500 Internal Server Error", "status body");
    r = await rawHttp(srv.port, httpRequest("GET", "/status/204"));
    expectWire(r, "HTTP/1.1 204 No Content", "");
    await stillServing();
  });

  it("serves 200 concurrent requests", async () => {
    const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => get(srv.port, `/search?q=n${i}`)));
    rs.forEach((r, i) => expect([r.status, r.body]).toEqual([200, `q=[n${i}]`]));
    expect(srv.alive).toBe(true);
  });
});

describe("keep-alive (opt-in runtime extension: MESH_HTTP_KEEPALIVE=1; the spec's default is Connection: close)", () => {
  let srv: Server;
  beforeAll(async () => {
    srv = await startServer(await buildProgram("b1_routing"), { ready: HTTP_READY, env: { MESH_HTTP_KEEPALIVE: "1" } });
  });
  afterAll(() => srv?.stop());

  it("serves several requests on one connection, and closes when the client asks", async () => {
    const sock = net.connect(srv.port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    let closed = false;
    let wake: (() => void) | null = null;
    sock.on("data", (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      wake?.();
    });
    sock.on("close", () => {
      closed = true;
      wake?.();
    });
    sock.on("error", () => {});
    /** Reads one complete response (head + Content-Length bytes) off the connection. */
    const reply = () =>
      withTimeout(
        new Promise<ReturnType<typeof parseReply>>((resolve, reject) => {
          const check = () => {
            const sep = buf.indexOf("\r\n\r\n");
            if (sep >= 0) {
              const len = Number(/content-length: (\d+)/i.exec(buf.subarray(0, sep).toString("latin1"))?.[1] ?? 0);
              if (buf.length >= sep + 4 + len) {
                const r = parseReply(buf.subarray(0, sep + 4 + len));
                buf = buf.subarray(sep + 4 + len);
                return resolve(r);
              }
            }
            if (closed) return reject(new Error("connection closed before a complete response"));
            wake = check;
          };
          check();
        }),
        5000,
        "a keep-alive response",
      );
    try {
      sock.write("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n");
      let r = await reply();
      expect([r.statusLine, r.body]).toEqual(["HTTP/1.1 200 OK", "item 1"]);
      expect(r.headers).toContainEqual(["Connection", "keep-alive"]);
      sock.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
      r = await reply();
      expect([r.statusLine, r.body]).toEqual(["HTTP/1.1 201 Created", "POST /echo from anonymous: hi"]);
      sock.write("GET /items/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      r = await reply();
      expect([r.statusLine, r.body]).toEqual(["HTTP/1.1 200 OK", "item 3"]);
      expect(r.headers).toEqual(defaultHeaders("item 3"));
      await withTimeout(new Promise<void>((resolve) => (closed ? resolve() : sock.once("close", () => resolve()))), 5000, "the server to close");
    } finally {
      sock.destroy();
    }
  });
});
