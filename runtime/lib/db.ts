// Adds PostgreSQL (Pg, Pool) and Sqlite to the library object `lib`. Generated code imports this file
// when it calls one of these modules (compiler/codegen/generate.ts), so other programs never load it.
import { lib } from "../index.js";
import { Pg, Pool, Sqlite } from "../db/index.js";

Object.assign(lib, { Pg, Pool, Sqlite } as unknown as Record<string, Record<string, unknown>>);
