// The HTTP client (`HTTP.get`, `HTTP.post`, stdlib.md §19) on node:http/https. Both are suspension
// points: the calling process waits on a promise that never rejects (errors become `Err` strings).
import * as http from "node:http";
import * as https from "node:https";
import { Err, Ok, type Result } from "../core/builtin-types.js";
import { awaitPromise } from "./host.js";
import { webLimits } from "./limits.js";

export const MAX_REDIRECTS = 5;
export const CONNECT_TIMEOUT_MS = 30_000;
export const TOTAL_TIMEOUT_MS = 60_000;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Reply {
  status: number;
  location: string | undefined;
  body: Buffer;
}

class Abort extends Error {}

function once(target: URL, method: string, body: string | undefined, deadline: number, maxBytes: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const mod = target.protocol === "https:" ? https : http;
    const headers: http.OutgoingHttpHeaders = {};
    let payload: Buffer | undefined;
    if (body !== undefined) {
      payload = Buffer.from(body, "utf8");
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = payload.length;
    }
    let total: NodeJS.Timeout | undefined;
    let connect: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(total);
      clearTimeout(connect);
    };
    const req = mod.request(target, { method, headers });
    total = setTimeout(() => req.destroy(new Abort("request timed out")), Math.max(0, deadline - Date.now()));
    req.on("socket", (s) => {
      if ((s as { connecting?: boolean }).connecting) {
        connect = setTimeout(() => req.destroy(new Abort("connection timed out")), CONNECT_TIMEOUT_MS);
        s.once("connect", () => clearTimeout(connect));
      }
    });
    req.on("error", (e) => {
      done();
      reject(e);
    });
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location !== undefined) {
        res.resume();
        res.on("end", () => {
          done();
          resolve({ status, location, body: Buffer.alloc(0) });
        });
        return;
      }
      // a response larger than the limit is refused (up front when its length is declared)
      const tooBig = (): void => {
        done();
        reject(new Abort(`response body larger than ${maxBytes} bytes`));
        req.destroy();
      };
      if (Number(res.headers["content-length"]) > maxBytes) return tooBig();
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) tooBig();
        else chunks.push(c);
      });
      res.on("end", () => {
        done();
        resolve({ status, location: undefined, body: Buffer.concat(chunks) });
      });
      res.on("error", (e) => {
        done();
        reject(e);
      });
    });
    req.end(payload);
  });
}

/** Performs the request with redirects; resolves to the spec's Result, never rejects. */
export async function httpRequest(url: string, method: "GET" | "POST", body?: string, maxBytes = webLimits().clientMaxResponseBytes): Promise<Result<string, string>> {
  const deadline = Date.now() + TOTAL_TIMEOUT_MS;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return new Err(`${url}: invalid URL`);
  }
  let redirects = 0;
  for (;;) {
    if (target.protocol !== "http:" && target.protocol !== "https:") return new Err(`${url}: unsupported URL scheme ${target.protocol}`);
    let reply: Reply;
    try {
      reply = await once(target, method, body, deadline, maxBytes);
    } catch (e) {
      return new Err(`${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (reply.location !== undefined) {
      if (++redirects > MAX_REDIRECTS) return new Err(`${url}: too many redirects`);
      try {
        target = new URL(reply.location, target);
      } catch {
        return new Err(`${url}: invalid redirect location`);
      }
      // 301/302/303 turn a POST into a GET without body (as browsers and HTTP libraries do)
      if (reply.status !== 307 && reply.status !== 308) {
        method = "GET";
        body = undefined;
      }
      continue;
    }
    if (reply.status >= 400) return new Err(`${url}: status code ${reply.status}`);
    return new Ok(reply.body.toString("utf8"));
  }
}

/** `HTTP.get(url)` [S] */
export function* get(url: string): Generator<unknown, Result<string, string>, unknown> {
  return yield* awaitPromise(httpRequest(url, "GET"));
}

/** `HTTP.post(url, body)` [S]: sends `Content-Type: application/json` */
export function* post(url: string, body: string): Generator<unknown, Result<string, string>, unknown> {
  return yield* awaitPromise(httpRequest(url, "POST", body));
}
