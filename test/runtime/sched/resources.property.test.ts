// Property test (fast-check) over the scheduler with real host resources held by processes: random
// groups of processes check out pool connections and open `Pg.connect` connections on the embedded
// database (some with a transaction open, or waiting for the database's single transaction slot),
// then a random sequence of links, monitors, trap_exit,
// exit signals, kills, crashes and normal returns runs, and finally every survivor is killed.
// Afterwards every pool checkout went back to the pool exactly once, every connection of a process
// that exited abnormally was closed exactly once (its transaction rolled back), connections of
// processes that returned normally stayed open (closed here, once), and the database answers at
// once with no uncommitted row visible. The release/close spies only observe: they call through.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pg, Pool, PgConn, PoolHandle, type Session } from "../../../runtime/db/index.js";
import { Err, Ok, type Result } from "../../../runtime/core/builtin-types.js";
import { List } from "../../../runtime/core/list.js";
import { MeshPanic, Scheduler, SystemMessage, exit, link, monitor, onExit, receive, send, setDefaultScheduler, spawn, trapExit, type Pid } from "../../../runtime/sched/index.js";

const L = (...xs: string[]) => List.fromArray(xs);
function ok<T>(r: Result<T, string>): T {
  if (r instanceof Err) throw new Error(`expected Ok, got Err(${JSON.stringify(r._0)})`);
  return (r as Ok<T>)._0;
}

let sched: Scheduler;
let pool: PoolHandle;
const stderr: string[] = [];

/** Runs a generator as a process and resolves with its result. */
function run<T>(f: () => Generator<unknown, T, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    spawn(function* () {
      try {
        resolve(yield* f());
      } catch (e) {
        reject(e);
      }
    });
  });
}

const URL = "pglite:memory";
const MAX_PROCS = 5;
const MAX_CHECKOUTS = 2;

beforeAll(async () => {
  sched = new Scheduler({ stderr: (s) => void stderr.push(s), stdout: () => {}, exit: () => {} });
  setDefaultScheduler(sched);
  pool = ok(await run(() => Pool.open(URL, 0, MAX_PROCS * MAX_CHECKOUTS, 5000)));
  ok(await run(() => Pool.execute(pool, "CREATE TABLE probe (v int)", L())));
}, 60_000);
afterAll(async () => {
  await run(() => Pool.close(pool));
  setDefaultScheduler(null);
});

interface ProcPlan {
  checkouts: number;
  /** open a transaction (BEGIN + INSERT) on the first pool checkout */
  poolTx: boolean;
  /** open a connection of its own with Pg.connect, with a transaction open on it */
  ownConn: boolean;
  ownTx: boolean;
  trap: boolean;
}

type Op =
  | { op: "link"; a: number; b: number }
  | { op: "monitor"; a: number; b: number }
  | { op: "exit"; a: number; reason: "normal" | "boom" | "kill" }
  | { op: "crash"; a: number }
  | { op: "finish"; a: number; checkinFirst: boolean };

const procPlan: fc.Arbitrary<ProcPlan> = fc.record({
  checkouts: fc.integer({ min: 0, max: MAX_CHECKOUTS }),
  poolTx: fc.boolean(),
  ownConn: fc.boolean(),
  ownTx: fc.boolean(),
  trap: fc.boolean(),
});

const scenario = fc.integer({ min: 1, max: MAX_PROCS }).chain((n) =>
  fc.record({
    procs: fc.array(procPlan, { minLength: n, maxLength: n }),
    ops: fc.array(
      fc.oneof(
        fc.record({ op: fc.constant("link" as const), a: fc.nat(n - 1), b: fc.nat(n - 1) }),
        fc.record({ op: fc.constant("monitor" as const), a: fc.nat(n - 1), b: fc.nat(n - 1) }),
        fc.record({ op: fc.constant("exit" as const), a: fc.nat(n - 1), reason: fc.constantFrom("normal" as const, "boom" as const, "kill" as const) }),
        fc.record({ op: fc.constant("crash" as const), a: fc.nat(n - 1) }),
        fc.record({ op: fc.constant("finish" as const), a: fc.nat(n - 1), checkinFirst: fc.boolean() }),
      ),
      { maxLength: 12 },
    ),
  }),
);

/** Bookkeeping of one run: which sessions are out, how often each was given back / closed. */
class Ledger {
  readonly out = new Set<Session>();
  readonly released = new Map<Session, number>();
  readonly closed = new Map<Session, number>();
  readonly owned: { s: Session; c: PgConn; id: number }[] = [];
  readonly errors: string[] = [];

  watchOwn(c: PgConn, id: number): void {
    const s = c.session!;
    this.owned.push({ s, c, id });
    const close = s.close.bind(s);
    s.close = () => {
      this.closed.set(s, (this.closed.get(s) ?? 0) + 1);
      return close();
    };
  }
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe("host resources held by processes under random links, monitors, exits and kills", () => {
  it("are released exactly once, whatever the order of exits", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ procs, ops }) => {
        const ledger = new Ledger();
        // observe the pool: a session leaves on a granted checkout, comes back on release
        const acquire = pool.acquire.bind(pool);
        const release = pool.release.bind(pool);
        pool.acquire = async () => {
          const o = await acquire();
          if (o.ok) {
            if (ledger.out.has(o.v)) ledger.errors.push("a session was handed out twice");
            ledger.out.add(o.v);
          }
          return o;
        };
        pool.release = (s: Session) => {
          if (!ledger.out.delete(s)) ledger.errors.push("a session was given back that was not out");
          ledger.released.set(s, (ledger.released.get(s) ?? 0) + 1);
          return release(s);
        };
        const reasons = new Map<number, string>();
        const pids: Pid[] = [];
        let ready = 0;
        try {
          procs.forEach((plan, id) => {
            const pid = spawn(function* () {
              if (plan.trap) trapExit(true);
              const conns: PgConn[] = [];
              for (let k = 0; k < plan.checkouts; k++) conns.push(ok(yield* Pool.checkout(pool)));
              if (plan.poolTx && conns.length > 0) {
                ok(yield* Pg.begin(conns[0]));
                ok(yield* Pg.execute(conns[0], "INSERT INTO probe VALUES ($1)", L(String(id))));
              }
              if (plan.ownConn) {
                const c = ok(yield* Pg.connect(URL));
                ledger.watchOwn(c, id);
                if (plan.ownTx) {
                  ok(yield* Pg.begin(c));
                  ok(yield* Pg.execute(c, "INSERT INTO probe VALUES ($1)", L(String(100 + id))));
                }
              }
              ready++;
              for (;;) {
                const m = (yield* receive((x) => (x instanceof SystemMessage ? undefined : x), -1)) as { cmd: string; pid?: Pid; checkinFirst?: boolean };
                if (m.cmd === "link") link(m.pid!);
                else if (m.cmd === "monitor") monitor(m.pid!);
                else if (m.cmd === "crash") throw new MeshPanic("crash on request");
                else if (m.cmd === "finish") {
                  if (m.checkinFirst && conns.length > 0) yield* Pool.checkin(pool, conns[0]);
                  return;
                }
              }
            });
            onExit(pid, (reason) => void reasons.set(id, reason));
            pids.push(pid);
          });
          // Every process holds its resources, or waits for the embedded database, which runs one
          // transaction at a time: a BEGIN queues behind another process's open transaction (or
          // behind its own, for a process with two) until that one ends. The ops below run either way.
          let seen = -1;
          let since = Date.now();
          await until(() => {
            if (ready !== seen) [seen, since] = [ready, Date.now()];
            return ready === procs.length || Date.now() - since > 150;
          }, "the processes to settle");
          expect(reasons.size).toBe(0);
          for (const o of ops) {
            if (o.op === "link" || o.op === "monitor") send(pids[o.a], { cmd: o.op, pid: pids[o.b] });
            else if (o.op === "exit") exit(pids[o.a], o.reason);
            else if (o.op === "crash") send(pids[o.a], { cmd: "crash" });
            else send(pids[o.a], { cmd: "finish", checkinFirst: o.checkinFirst });
            // let some ops interleave with the processes' reactions, others pile up
            if (o.a % 2 === 0) await new Promise((r) => setImmediate(r));
          }
          for (const pid of pids) exit(pid, "kill");
          await until(() => reasons.size === procs.length, "every process to exit");
          // own connections: closed exactly once iff the owner exited abnormally; a normal return
          // leaves the connection (and a transaction open on it) to whoever shares the handle, so
          // close those here, as a process sharing the handle would (on the embedded database an
          // open transaction holds every other session back until then)
          const abnormal = (id: number) => reasons.get(id) !== "normal";
          for (const o of ledger.owned) {
            expect(o.c.session === null).toBe(abnormal(o.id));
            if (!abnormal(o.id)) {
              expect(ledger.closed.get(o.s) ?? 0).toBe(0);
              await run(() => Pg.close(o.c));
            }
          }
          await until(() => ledger.owned.every((o) => (ledger.closed.get(o.s) ?? 0) > 0), "every connection to close");
          for (const o of ledger.owned) expect([o.id, ledger.closed.get(o.s)]).toEqual([o.id, 1]);
          // pool checkouts: all back, each exactly once (after statements in flight settled)
          await until(() => ledger.out.size === 0 && pool.lentCount === 0, "every checkout to come back");
          for (const [, n] of ledger.released) expect(n).toBe(1);
          expect(pool.idleCount).toBe(pool.size);
          expect(ledger.errors).toEqual([]);
          // nothing uncommitted is visible and the embedded database is free for everyone
          const rows = ok(await run(() => Pool.query(pool, "SELECT count(*)::text AS n FROM probe", L())));
          expect(rows.head().at("n")).toBe("0");
        } finally {
          pool.acquire = acquire;
          pool.release = release;
          for (const pid of pids) exit(pid, "kill");
        }
      }),
      { numRuns: 60, endOnFailure: true },
    );
  }, 120_000);
});

