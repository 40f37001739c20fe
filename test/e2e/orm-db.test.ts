// orm.md Appendix B: the ORM's database scenarios as compiled Mesh programs, on the embedded
// database (PGlite) and, when DATABASE_URL is set (CI), on a real PostgreSQL inside a schema of this
// run's own. Each program's whole stdout is compared with the spec's expected output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { REAL_DATABASE_URL, RUN_ID, buildProgram, runProgram, stopAll, withUrlParams } from "./harness.js";

afterAll(stopAll);

const EXPECTED: Record<string, [string, string]> = {
  b1: ["B1. CRUD through Query and Repo", `created 0, first id 1
%{id => 2, title => Emma, pages => 474, genre => }
[Dune, Ubik]
long 2, tiny false
Emma classic 480
second: Emma
Ubik id 3
get 99: not found
dup: 23505|spec_books_title_key|spec_books
deleted Ubik, then 1
[%{title => Emma, pages => 480}]
done
`],
  b2: ["B2. Changesets against constraints, and transactions", `first: ok ann@x.io credits=5
again: %{email => has already been taken}
bad: %{email => has invalid format, credits => must be greater than or equal to 0}
edit: ok ann@y.io credits=7
t1 Ok(1), t2 Err(changed my mind)
[%{email => ann@y.io, credits => 17}]
done
`],
  b3: ["B3. Migration DSL", `create: Ok(0)
id,name,active,category,weight
dup: 23505|idx_spec_tags_name
exists: 42P07
reds 3
done
`],
  b4: ["B4. Preloading (this project's representation, §5.7)", `Le Guin -> [{"author_id":"1","id":"1","title":"Lathe"}]
Nobody -> []
{"id":"1","name":"Le Guin"}
done
`],
};

function scenarios(url: () => string) {
  for (const [key, [title, out]] of Object.entries(EXPECTED)) {
    it(title, async () => {
      const r = await runProgram(await buildProgram(`orm_${key}`), { SPEC_DATABASE_URL: url() });
      expect(r.stdout).toBe(out);
      expect(r.status, r.stderr).toBe(0);
    });
  }
}

describe("ORM on the embedded database (PGlite)", () => scenarios(() => ""));

const schema = `mesh_orm_${RUN_ID}`;
describe.skipIf(!REAL_DATABASE_URL)("ORM on a real PostgreSQL (DATABASE_URL)", () => {
  let admin: pg.Client;
  let url = "";
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: REAL_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    url = withUrlParams(REAL_DATABASE_URL, { options: `-c search_path=${schema}` });
  });
  afterAll(async () => {
    if (!admin) return;
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  });
  scenarios(() => url);
});
