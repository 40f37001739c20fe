// Issue 12, reproduction 1, as a compiled program (test/e2e/programs/db_crash): an actor that
// panics inside a transaction on its own `Pg.connect` connection must not freeze the embedded
// database for everyone (a fresh connection in another process answers at once) nor, on a real
// PostgreSQL (DATABASE_URL), leave its backend behind. The program waits on IO.read_line in main
// while its driver actor does the work, which also checks that read_line suspends only main.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { REAL_DATABASE_URL, ROOT, RUN_ID, buildProgram, sleep, stopAll, withTimeout, withUrlParams } from "./harness.js";

const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await stopAll();
});

const EXPECTED = ["table ready", "crasher exited: crashed after inserting 1 row inside the transaction", "fresh connection: one = 1, rows kept = 0", "checked"];

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  waitLine(line: string, ms: number): Promise<void>;
  exited: Promise<number | null>;
}

function start(launcher: string, url: string): Running {
  const child = spawn(launcher, [], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ["pipe", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout!.setEncoding("utf8").on("data", (d: string) => ((out += d), wake()));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => ((err += d), wake()));
  const exited = new Promise<number | null>((r) =>
    child.on("exit", (code) => {
      children.delete(child);
      wake();
      r(code);
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitLine: (line, ms) =>
      withTimeout(
        new Promise<void>((resolve) => {
          const check = () => (out.split("\n").includes(line) || child.exitCode !== null ? resolve() : waiters.push(check));
          check();
        }),
        ms,
        `line ${JSON.stringify(line)}; stdout so far:\n${out}\nstderr:\n${err}`,
      ),
  };
}

async function crashAndCheck(url: string, whileWaiting?: () => Promise<void>): Promise<Running> {
  const r = start(await buildProgram("db_crash"), url);
  // before the fix the fresh connection's query never returned on PGlite
  await r.waitLine("checked", 20_000);
  expect(r.stdout().split("\n").slice(0, 4)).toEqual(EXPECTED);
  expect(r.stderr()).toContain("crashed after inserting 1 row inside the transaction");
  if (whileWaiting) await whileWaiting();
  r.child.stdin!.end("go\n");
  expect(await withTimeout(r.exited, 10_000, "program exit")).toBe(0);
  expect(r.stdout()).toBe(EXPECTED.join("\n") + "\nstdin: go\n");
  return r;
}

describe("a process that crashes inside a transaction (issue 12, reproduction 1)", () => {
  it("embedded database: the transaction is rolled back and a fresh connection answers at once", async () => {
    await crashAndCheck("");
  }, 60_000);
});

const schema = `mesh_crash_${RUN_ID}`;
const app = `mesh_crash_${RUN_ID}`;

describe.skipIf(!REAL_DATABASE_URL)(
  REAL_DATABASE_URL ? "real PostgreSQL (DATABASE_URL)" : "real PostgreSQL (skipped: DATABASE_URL is not set; eval \"$(bash scripts/ci-postgres.sh)\" to run it)",
  () => {
    let admin: pg.Client;
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: REAL_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
    });
    afterAll(async () => {
      if (!admin) return;
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await admin.end();
    });

    it("the crashed process's backend is gone; only the checker's connection remains", async () => {
      const url = withUrlParams(REAL_DATABASE_URL, { options: `-c search_path=${schema}`, application_name: app });
      await crashAndCheck(url, async () => {
        // closing is asynchronous on the server side: allow it a moment, then require exactly the
        // checker's connection (it exited normally, so its connection is left open by design)
        let rows: { state: string }[] = [];
        for (let i = 0; i < 30; i++) {
          rows = (await admin.query("SELECT state FROM pg_stat_activity WHERE application_name = $1", [app])).rows;
          if (rows.length <= 1) break;
          await sleep(100);
        }
        expect(rows.map((r) => r.state)).toEqual(["idle"]);
      });
    }, 60_000);
  },
);
