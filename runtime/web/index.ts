// Public entry of the web runtime: the Mesh modules `HTTP` (alias `Http`), `Request` and `Ws`, with
// property names equal to the Mesh function names (stdlib.md §18–§20). Suspending functions ([S])
// are generator functions; everything else is plain.
import * as client from "./http-client.js";
import * as server from "./http-server.js";
import { Request } from "./request.js";
import { response, responseWithHeaders } from "./response.js";
import { router, type Handler, type Middleware, type Router } from "./router.js";
import * as ws from "./ws.js";
import * as listener from "./listener.js";

export const HTTP = {
  router,
  route: (r: Router, pattern: string, h: Handler): Router => r.withRoute(null, pattern, h),
  on_get: (r: Router, pattern: string, h: Handler): Router => r.withRoute("GET", pattern, h),
  on_post: (r: Router, pattern: string, h: Handler): Router => r.withRoute("POST", pattern, h),
  on_put: (r: Router, pattern: string, h: Handler): Router => r.withRoute("PUT", pattern, h),
  on_delete: (r: Router, pattern: string, h: Handler): Router => r.withRoute("DELETE", pattern, h),
  use: (r: Router, mw: Middleware): Router => r.withMiddleware(mw),
  serve: server.serve,
  serve_tls: server.serveTls,
  start: listener.httpStart,
  stop: listener.stop,
  port: listener.port,
  response,
  response_with_headers: responseWithHeaders,
  get: client.get,
  post: client.post,
};
export const Http = HTTP;

export { Request };

export const Ws = {
  serve: ws.serve,
  serve_tls: ws.serveTls,
  start: listener.wsStart,
  stop: listener.stop,
  port: listener.port,
  send: ws.send,
  join: ws.join,
  leave: ws.leave,
  broadcast: ws.broadcast,
  broadcast_except: ws.broadcastExcept,
};

// Host-side API (tests, benchmarks, the distribution layer)
export { listenHttp, type HttpServerOptions, type RunningHttpServer } from "./http-server.js";
export { listenWs, roomsOf, deliverRemoteBroadcast, type RunningWsServer } from "./ws.js";
export { webLimits, LIMIT_VARS, type WebLimits } from "./limits.js";
export { webState, type WebState } from "./state.js";
export { httpRequest } from "./http-client.js";
export { MeshRequest } from "./request.js";
export { Listener } from "./listener.js";
export { MeshResponse } from "./response.js";
export { Router } from "./router.js";
export type { RoomRegistry, RoomForwarder } from "./rooms.js";
