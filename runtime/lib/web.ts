// Adds HTTP server and client, WebSockets, Request to the library object `lib`. Generated code imports this file
// when it calls one of these modules (compiler/codegen/generate.ts), so other programs never load it.
import { lib } from "../index.js";
import { HTTP, Ws, Request } from "../web/index.js";

Object.assign(lib, { HTTP, Http: HTTP, Ws, Request } as unknown as Record<string, Record<string, unknown>>);
