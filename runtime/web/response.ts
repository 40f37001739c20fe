// The HTTP `Response` value, its constructors (`HTTP.response`, `HTTP.response_with_headers`) and
// the exact response wire format of stdlib.md §29.3, shared by the server and its error replies.
import { STATUS_CODES } from "node:http";
import { strMapEntries, type MeshStrMap } from "./values.js";

export class MeshResponse {
  static readonly localOnly = "Response";
  constructor(
    readonly status: number,
    readonly body: string,
    /** custom headers in map order, as given by the program */
    readonly headers: readonly (readonly [string, string])[],
  ) {}
}

const NO_HEADERS: readonly (readonly [string, string])[] = [];

export function response(status: number, body: string): MeshResponse {
  return new MeshResponse(status, body, NO_HEADERS);
}

export function responseWithHeaders(status: number, body: string, headers: MeshStrMap): MeshResponse {
  return new MeshResponse(status, body, strMapEntries(headers));
}

export const DEFAULT_CONTENT_TYPE = "application/json; charset=utf-8";

export const NOT_FOUND = response(404, "Not Found");
export const INTERNAL_ERROR = response(500, "Internal Server Error");

/** RFC 9110 token characters: what a header name may contain. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

export interface WireHead {
  status: number;
  reason: string;
  /** flat [name, value, name, value, ...] in emission order (values are latin1 "byte strings") */
  headers: string[];
  body: Buffer;
}

/** Normalises a Mesh response into exactly what goes on the wire (§29.3). */
export function wireHead(r: MeshResponse, connection: "close" | "keep-alive"): WireHead {
  let status = r.status;
  if (!Number.isInteger(status) || status < 100 || status > 599) status = 500;
  const reason = STATUS_CODES[status] ?? "Unknown";
  // 1xx responses cannot carry a body either (node:http drops it): keep Content-Length truthful
  const body = status < 200 || status === 204 || status === 304 ? EMPTY : Buffer.from(String(r.body), "utf8");
  const headers = ["Content-Type", DEFAULT_CONTENT_TYPE, "Content-Length", String(body.length), "Connection", connection];
  for (const [name, value0] of r.headers) {
    const lower = name.toLowerCase();
    if (lower === "content-length" || lower === "connection") continue;
    const value = String(value0);
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) continue;
    const v = /[^\x00-\x7f]/.test(value) ? Buffer.from(value, "utf8").toString("latin1") : value;
    if (lower === "content-type") {
      headers[0] = name;
      headers[1] = v;
    } else headers.push(name, v);
  }
  return { status, reason, headers, body };
}

const EMPTY = Buffer.alloc(0);

/** The whole response as bytes, for replies written straight to a socket (parser errors). */
export function wireBytes(r: MeshResponse): Buffer {
  const h = wireHead(r, "close");
  let head = `HTTP/1.1 ${h.status} ${h.reason}\r\n`;
  for (let i = 0; i < h.headers.length; i += 2) head += `${h.headers[i]}: ${h.headers[i + 1]}\r\n`;
  return Buffer.concat([Buffer.from(head + "\r\n", "latin1"), h.body]);
}
