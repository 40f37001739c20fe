// Adds the ORM (Query, Orm, Repo, Changeset, Migration) to the library object `lib`. Generated code imports this file
// when it calls one of these modules (compiler/codegen/generate.ts), so other programs never load it.
import { lib } from "../index.js";
import { Query_, Orm_, Repo_, Changeset_, Migration_ } from "../orm/index.js";

Object.assign(lib, { Query: Query_, Orm: Orm_, Repo: Repo_, Changeset: Changeset_, Migration: Migration_ } as unknown as Record<string, Record<string, unknown>>);
