// HTTP client (stdlib.md §19): HTTP.get/HTTP.post run inside a process and suspend only it;
// results and error strings are checked against a local node:http server.
import * as http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP } from "../../../runtime/web/index.js";
import { Err, Ok } from "../../../runtime/core/builtin-types.js";
import { installScheduler, inProcess } from "./harness.js";

let server: http.Server;
let base = "";
const seen: { method: string; ctype: string | undefined; body: string }[] = [];

beforeAll(async () => {
  installScheduler();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, ctype: req.headers["content-type"], body });
      const url = new URL(req.url!, "http://x");
      const hops = Number(url.searchParams.get("hops") ?? "0");
      if (url.pathname === "/redirect") {
        res.writeHead(hops > 0 ? 302 : 200, hops > 0 ? { Location: `/redirect?hops=${hops - 1}` } : {});
        res.end(hops > 0 ? "" : "arrived");
      } else if (url.pathname === "/see-other") {
        res.writeHead(303, { Location: "/echo" });
        res.end();
      } else if (url.pathname === "/echo") res.end(`${req.method} ${body}`);
      else if (url.pathname === "/missing") {
        res.writeHead(404);
        res.end("nope");
      } else if (url.pathname === "/bytes") res.end(Buffer.from([0xe2, 0x9c, 0x93, 0xff]));
      else if (url.pathname === "/big") {
        // declared length, or chunked (no length) when ?chunked is given
        const n = Number(url.searchParams.get("n"));
        if (url.searchParams.has("chunked")) {
          for (let i = 0; i < n / 1000; i++) res.write("x".repeat(1000));
          res.end();
        } else res.end("x".repeat(n));
      }
      else res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("HTTP.get / HTTP.post", () => {
  it("Ok(body) for a 2xx reply, UTF-8 decoded with replacement", async () => {
    expect(await inProcess(HTTP.get, `${base}/ping`)).toEqual(new Ok("ok"));
    expect(await inProcess(HTTP.get, `${base}/bytes`)).toEqual(new Ok("✓\uFFFD"));
  });

  it("status >= 400 gives Err('<url>: status code <n>')", async () => {
    expect(await inProcess(HTTP.get, `${base}/missing`)).toEqual(new Err(`${base}/missing: status code 404`));
  });

  it("follows up to 5 redirects", async () => {
    expect(await inProcess(HTTP.get, `${base}/redirect?hops=5`)).toEqual(new Ok("arrived"));
    const r = await inProcess(HTTP.get, `${base}/redirect?hops=6`);
    expect(r).toBeInstanceOf(Err);
    expect((r as Err<string>)._0.startsWith(`${base}/redirect?hops=6: `)).toBe(true);
  });

  it("POST sends JSON content type; 303 turns into GET", async () => {
    seen.length = 0;
    expect(await inProcess(HTTP.post, `${base}/echo`, '{"a":1}')).toEqual(new Ok('POST {"a":1}'));
    expect(seen[0]).toEqual({ method: "POST", ctype: "application/json", body: '{"a":1}' });
    expect(await inProcess(HTTP.post, `${base}/see-other`, "x")).toEqual(new Ok("GET "));
  });

  it("transport failures and bad URLs are Err('<url>: <reason>')", async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = (await inProcess(HTTP.get, `http://127.0.0.1:${port}/`)) as Err<string>;
    expect(r).toBeInstanceOf(Err);
    expect(r._0).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/: .*ECONNREFUSED`));
    expect(((await inProcess(HTTP.get, "not a url")) as Err<string>)._0).toBe("not a url: invalid URL");
    expect(((await inProcess(HTTP.get, "ftp://x/")) as Err<string>)._0).toMatch(/^ftp:\/\/x\/: unsupported/);
  });

  it("a response over MESH_HTTP_CLIENT_MAX_RESPONSE_BYTES is an Err, declared or chunked; at the limit it is Ok", async () => {
    const saved = process.env.MESH_HTTP_CLIENT_MAX_RESPONSE_BYTES;
    process.env.MESH_HTTP_CLIENT_MAX_RESPONSE_BYTES = "10000";
    try {
      const at = (await inProcess(HTTP.get, `${base}/big?n=10000`)) as Ok<string>;
      expect(at).toBeInstanceOf(Ok);
      expect(at._0.length).toBe(10000);
      expect(await inProcess(HTTP.get, `${base}/big?n=10001`)).toEqual(new Err(`${base}/big?n=10001: response body larger than 10000 bytes`));
      expect(await inProcess(HTTP.get, `${base}/big?n=50000&chunked`)).toEqual(new Err(`${base}/big?n=50000&chunked: response body larger than 10000 bytes`));
      // the client is still usable afterwards
      expect(await inProcess(HTTP.get, `${base}/echo`)).toEqual(new Ok("GET "));
    } finally {
      if (saved === undefined) delete process.env.MESH_HTTP_CLIENT_MAX_RESPONSE_BYTES;
      else process.env.MESH_HTTP_CLIENT_MAX_RESPONSE_BYTES = saved;
    }
  });

  it("many concurrent requests from many processes", async () => {
    const rs = await Promise.all(Array.from({ length: 50 }, (_, i) => inProcess(HTTP.post, `${base}/echo`, String(i))));
    rs.forEach((r, i) => expect(r).toEqual(new Ok(`POST ${i}`)));
  });
});
