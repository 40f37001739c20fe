// The HTTP `Router` value (stdlib.md §18.1), route matching in three tiers (§18.3) and the
// middleware chain (§18.4). Routers are immutable: every builder returns a new one. Handlers and
// middleware may be plain functions or generator functions (Mesh code that may suspend).
import { MeshPanic, isGen } from "./host.js";
import type { MeshRequest } from "./request.js";
import { percentDecode } from "./request.js";
import { MeshResponse, NOT_FOUND } from "./response.js";

export type Handler = (req: MeshRequest) => unknown;
export type Middleware = (req: MeshRequest, next: Handler) => unknown;

const EXACT = 0;
const PARAM = 1;
const WILD = 2;

interface Route {
  readonly method: string | null; // null = any method
  readonly pattern: string;
  readonly handler: Handler;
  readonly tier: number;
  /** PARAM: all segments; WILD: the prefix segments (only when the prefix has `:` segments) */
  readonly segs: readonly string[] | null;
  /** WILD: literal prefix without the trailing `/*` ("" matches everything) */
  readonly prefix: string;
}

function classify(method: string | null, pattern: string, handler: Handler): Route {
  const hasParam = (p: string) => p.split("/").some((s) => s.startsWith(":"));
  if (pattern.endsWith("/*")) {
    const prefix = pattern.slice(0, -2);
    return { method, pattern, handler, tier: WILD, segs: hasParam(prefix) ? segments(prefix) : null, prefix };
  }
  if (hasParam(pattern)) return { method, pattern, handler, tier: PARAM, segs: segments(pattern), prefix: "" };
  return { method, pattern, handler, tier: EXACT, segs: null, prefix: "" };
}

function segments(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

interface Compiled {
  exact: Map<string, Route[]>;
  param: Route[];
  wild: Route[];
}

export class Router {
  static readonly localOnly = "Router";
  private compiled: Compiled | null = null;

  constructor(
    readonly routes: readonly Route[] = [],
    readonly middleware: readonly Middleware[] = [],
  ) {}

  withRoute(method: string | null, pattern: string, h: Handler): Router {
    return new Router([...this.routes, classify(method, pattern, h)], this.middleware);
  }

  withMiddleware(mw: Middleware): Router {
    return new Router(this.routes, [...this.middleware, mw]);
  }

  private compile(): Compiled {
    const c: Compiled = { exact: new Map(), param: [], wild: [] };
    for (const r of this.routes) {
      if (r.tier === EXACT) {
        const list = c.exact.get(r.pattern);
        if (list) list.push(r);
        else c.exact.set(r.pattern, [r]);
      } else if (r.tier === PARAM) c.param.push(r);
      else c.wild.push(r);
    }
    return c;
  }

  /** Finds the route for (method, raw path); captures are stored on `req.params`. */
  match(req: MeshRequest): Handler | null {
    const c = (this.compiled ??= this.compile());
    const { method, path } = req;
    const exact = c.exact.get(path);
    if (exact) for (const r of exact) if (r.method === null || r.method === method) return r.handler;
    let segs: string[] | null = null;
    for (const r of c.param) {
      if (r.method !== null && r.method !== method) continue;
      segs ??= segments(path);
      const params = matchSegments(r.segs!, segs, true);
      if (params) {
        req.params = params;
        return r.handler;
      }
    }
    for (const r of c.wild) {
      if (r.method !== null && r.method !== method) continue;
      if (r.segs) {
        segs ??= segments(path);
        const params = matchSegments(r.segs, segs, false);
        if (params) {
          req.params = params;
          return r.handler;
        }
      } else if (r.prefix === "" || path === r.prefix || path.startsWith(r.prefix + "/")) return r.handler;
    }
    return null;
  }
}

function matchSegments(pat: readonly string[], segs: string[], whole: boolean): Map<string, string> | null {
  if (whole ? segs.length !== pat.length : segs.length < pat.length) return null;
  let params: Map<string, string> | null = null;
  for (let i = 0; i < pat.length; i++) {
    const p = pat[i];
    if (p.startsWith(":")) {
      params ??= new Map();
      params.set(p.slice(1), percentDecode(segs[i], false));
    } else if (p !== segs[i]) return null;
  }
  return params ?? new Map();
}

const notFound: Handler = () => NOT_FOUND;

function isIter(x: unknown): x is Generator<unknown, unknown, unknown> {
  return x !== null && typeof x === "object" && typeof (x as Generator).next === "function" && typeof (x as Generator)[Symbol.iterator] === "function";
}

/** Calls a Mesh function value whatever its kind: plain, generator, or plain returning a generator. */
export function* callMesh(f: Function, ...args: unknown[]): Generator<unknown, unknown, unknown> {
  const r = f(...args);
  return isIter(r) ? yield* r : r;
}

function asResponse(r: unknown): MeshResponse {
  if (r instanceof MeshResponse) return r;
  throw new MeshPanic("HTTP handler did not return a Response");
}

/**
 * Runs the middleware chain and handler for one request (inside the request's process). `next`
 * functions are plain when everything after them is plain, so plain middleware can call them
 * directly; otherwise they are generator functions.
 */
export function* runChain(router: Router, req: MeshRequest): Generator<unknown, MeshResponse, unknown> {
  const matched = router.match(req);
  const mws = router.middleware;
  if (matched === null && mws.length === 0) return NOT_FOUND;
  const handler = matched ?? notFound;
  if (mws.length === 0) return asResponse(yield* callMesh(handler, req));
  const n = mws.length;
  // suffixGen[i]: some function in mws[i..] or the handler is a generator function
  const suffixGen: boolean[] = new Array(n + 1);
  suffixGen[n] = isGen(handler);
  for (let i = n - 1; i >= 0; i--) suffixGen[i] = suffixGen[i + 1] || isGen(mws[i]);
  const nexts: (Handler | undefined)[] = new Array(n + 1);
  const nextAt = (i: number): Handler => {
    let f = nexts[i];
    if (f) return f;
    if (i === n) f = suffixGen[n] ? handler : (r: MeshRequest) => asResponse(handler(r));
    else if (!suffixGen[i]) f = (r: MeshRequest) => asResponse(mws[i](r, nextAt(i + 1)));
    else
      f = function* (r: MeshRequest) {
        return asResponse(yield* callMesh(mws[i], r, nextAt(i + 1)));
      };
    return (nexts[i] = f);
  };
  return asResponse(yield* callMesh(nextAt(0), req));
}

export function router(): Router {
  return new Router();
}
