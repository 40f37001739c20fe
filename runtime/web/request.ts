// The HTTP `Request` value and the Mesh `Request.*` accessors (stdlib.md §18.2). Requests are built
// by the HTTP server (http-server.ts) from node:http messages; accessors are pure and never fail.
import { None, Some, type Option } from "../core/builtin-types.js";

export class MeshRequest {
  static readonly localOnly = "Request";
  /** Path parameters of the matched route (decoded), set by the router before middleware run. */
  params: Map<string, string> | null = null;
  private queryMap: Map<string, string> | null = null;
  private headerMap: Map<string, string> | null = null;

  constructor(
    readonly method: string,
    /** request target up to the first `?`, raw (not percent-decoded) */
    readonly path: string,
    /** text after the first `?` ("" when absent) */
    readonly rawQuery: string,
    /** [name, value, name, value, ...] as received (node:http `rawHeaders`, latin1 strings) */
    readonly rawHeaders: readonly string[],
    readonly body: string,
  ) {}

  /** lowercased header name -> value, UTF-8 decoded and trimmed; the last occurrence wins */
  get headers(): Map<string, string> {
    if (this.headerMap === null) {
      const m = new Map<string, string>();
      const raw = this.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) m.set(raw[i].toLowerCase(), latin1ToUtf8(raw[i + 1]).replace(TRIM, ""));
      this.headerMap = m;
    }
    return this.headerMap;
  }

  query(name: string): string | undefined {
    if (this.queryMap === null) this.queryMap = parseQuery(this.rawQuery);
    return this.queryMap.get(name);
  }
}

/** Splits a raw request target into (path, query); the target is already UTF-8 decoded. */
export function splitTarget(target: string): [string, string] {
  const q = target.indexOf("?");
  return q < 0 ? [target, ""] : [target.slice(0, q), target.slice(q + 1)];
}

/** §18.2: split on `&`, each part at its first `=`, parts without `=` ignored, last wins. */
export function parseQuery(raw: string): Map<string, string> {
  const m = new Map<string, string>();
  if (raw === "") return m;
  for (const part of raw.split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    m.set(percentDecode(part.slice(0, eq), true), percentDecode(part.slice(eq + 1), true));
  }
  return m;
}

const HEX = /^[0-9a-fA-F]{2}$/;
const TRIM = /^[ \t]+|[ \t]+$/g;

/**
 * Decodes `%XX` UTF-8 sequences (and `+` as space when asked). Lenient by design: a `%` not
 * followed by two hex digits stays literal and invalid UTF-8 becomes U+FFFD, so a malformed query
 * or path parameter never fails the request (the spec's accessors have no error mode).
 */
export function percentDecode(s: string, plusAsSpace: boolean): string {
  if (plusAsSpace && s.includes("+")) s = s.replace(/\+/g, " ");
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    // fall through to the lenient decoder
  }
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; ) {
    if (s.charCodeAt(i) === 37 /* % */ && HEX.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    for (const b of enc.encode(ch)) bytes.push(b);
    i += ch.length;
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Node hands header values and the request target over as latin1; the wire bytes are UTF-8. */
export function latin1ToUtf8(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, "latin1").toString("utf8") : s;
}

function opt(v: string | undefined): Option<string> {
  return v === undefined ? None : new Some(v);
}

/** The Mesh `Request` module. */
export const Request = {
  method: (req: MeshRequest): string => req.method,
  path: (req: MeshRequest): string => req.path,
  body: (req: MeshRequest): string => req.body,
  header: (req: MeshRequest, name: string): Option<string> => opt(req.headers.get(name.toLowerCase())),
  query: (req: MeshRequest, name: string): Option<string> => opt(req.query(name)),
  param: (req: MeshRequest, name: string): Option<string> => opt(req.params?.get(name)),
};
