// Adds distribution (Node, Global) to the library object `lib`. Generated code imports this file
// when it calls one of these modules (compiler/codegen/generate.ts), so other programs never load it.
import { lib } from "../index.js";
import { Node, Global } from "../dist/index.js";

Object.assign(lib, { Node, Global } as unknown as Record<string, Record<string, unknown>>);
