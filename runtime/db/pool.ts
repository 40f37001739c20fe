// The Mesh `Pool` module (stdlib.md §22): a PostgreSQL connection pool with a size limit, checkout
// timeout, rollback of open transactions on checkin, and discarding of broken connections. The
// single-statement helpers (query/execute/query_as) run checkout + statement + checkin entirely on
// the host side, so a process that dies mid-call can never leak a connection. Connections handed
// to a process (`checkout`, `transaction`) are lent with an exit hook on that process: when it
// exits without checking in (a panicking HTTP handler, an exit signal, a normal return), the pool
// takes the connection back once its last statement settled and rolls back its open transaction,
// so crash isolation also holds for the database (an abandoned transaction would otherwise hold its
// locks forever and, on the embedded database, whose single backend runs one transaction at a
// time, block every other connection).
import { Err, Ok, type Result } from "../core/builtin-types.js";
import type { List } from "../core/list.js";
import type { MeshMap } from "../core/map.js";
import { awaitPromise, currentScheduler, onExit, self, type ExitHook, type Pid } from "./host.js";
import { isEmbeddedUrl } from "./pglite.js";
import { PgConn, afterInflight, detach, mapRows, openSession, parsePgUrl, runQuery, transactionOn, type Outcome } from "./pg.js";
import { messageOf, rowCountOf, rowsToMaps, type QueryResult, type Session } from "./session.js";

/** Connecting never gives up sooner than this, even with a short checkout timeout. */
export const MIN_CONNECT_TIMEOUT_MS = 5_000;

interface Waiter {
  resolve: (o: Outcome<Session>) => void;
  timer: NodeJS.Timeout;
  done: boolean;
}

/** The Mesh `PoolHandle`: shareable between processes of one node, refused by the dist codec. */
export class PoolHandle {
  static readonly localOnly = "PoolHandle";
  private idle: Session[] = [];
  /** open sessions plus sessions being opened (never above `max`) */
  private total = 0;
  private waiters: Waiter[] = [];
  /** connections handed to processes, with the exit hook on their holder (see `lend`) */
  private readonly lent = new Map<PgConn, ExitHook>();
  /** the node whose embedded database an embedded URL names (sessions may open outside a process) */
  private readonly sched = currentScheduler();
  closed = false;

  constructor(
    readonly url: string,
    readonly min: number,
    readonly max: number,
    readonly timeoutMs: number,
  ) {}

  get size(): number {
    return this.total;
  }
  get idleCount(): number {
    return this.idle.length;
  }

  private connect(): Promise<Session> {
    return openSession(this.url, Math.max(this.timeoutMs, MIN_CONNECT_TIMEOUT_MS), this.sched);
  }

  /** Opens `min` sessions; on the first failure closes the others and rejects. */
  async open(): Promise<void> {
    if (!isEmbeddedUrl(this.url)) parsePgUrl(this.url);
    this.total = this.min;
    const opened = await Promise.allSettled(Array.from({ length: this.min }, () => this.connect()));
    const failed = opened.find((r) => r.status === "rejected");
    if (failed) {
      this.total = 0;
      await Promise.all(opened.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
      throw (failed as PromiseRejectedResult).reason;
    }
    for (const r of opened) this.idle.push((r as PromiseFulfilledResult<Session>).value);
  }

  async acquire(): Promise<Outcome<Session>> {
    if (this.closed) return { ok: false, e: "pool is closed" };
    while (this.idle.length > 0) {
      const s = this.idle.pop()!;
      if (!s.broken) return { ok: true, v: s };
      this.total--;
      void s.close();
    }
    if (this.total < this.max) {
      this.total++;
      try {
        const s = await this.connect();
        if (this.closed) {
          this.total--;
          void s.close();
          return { ok: false, e: "pool is closed" };
        }
        return { ok: true, v: s };
      } catch (e) {
        this.total--;
        return { ok: false, e: `pool connect: ${messageOf(e)}` };
      }
    }
    return new Promise<Outcome<Session>>((resolve) => {
      const w: Waiter = {
        resolve,
        done: false,
        timer: setTimeout(() => {
          w.done = true;
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve({ ok: false, e: "pool checkout timeout" });
        }, this.timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  /** Gives a healthy idle session to the first waiter, or keeps it idle. */
  private handOff(s: Session): void {
    while (this.waiters.length > 0) {
      const w = this.waiters.shift()!;
      if (w.done) continue;
      w.done = true;
      clearTimeout(w.timer);
      w.resolve({ ok: true, v: s });
      return;
    }
    this.idle.push(s);
  }

  /** Returns a session: rolls back an open or failed transaction block first; never rejects. */
  async release(s: Session): Promise<void> {
    if (s.broken) return this.discard(s);
    if (s.txStatus() !== "I") {
      try {
        await s.query("ROLLBACK", []);
      } catch {
        return this.discard(s);
      }
      if (s.broken || s.txStatus() !== "I") return this.discard(s);
    }
    if (this.closed) {
      this.total--;
      await s.close();
      return;
    }
    this.handOff(s);
  }

  /** Closes a session that must not be reused and frees its slot (opening one for a waiter). */
  discard(s: Session): void {
    this.total--;
    void s.close();
    if (!this.closed && this.waiters.some((w) => !w.done) && this.total < this.max) {
      this.total++;
      this.connect().then(
        (fresh) => {
          if (this.closed) {
            this.total--;
            void fresh.close();
          } else this.handOff(fresh);
        },
        () => {
          this.total--; // waiters keep waiting until their timeout
        },
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiters) {
      if (w.done) continue;
      w.done = true;
      clearTimeout(w.timer);
      w.resolve({ ok: false, e: "pool is closed" });
    }
    this.waiters = [];
    const idle = this.idle;
    this.idle = [];
    this.total -= idle.length;
    await Promise.all(idle.map((s) => s.close()));
  }

  /** Number of connections currently lent to processes. */
  get lentCount(): number {
    return this.lent.size;
  }

  /** Records that `c` is held by process `holder`: if that process exits before `unlend(c)`, the
   * session is taken back (rolled back first, see `release`) and `c` becomes a closed handle. */
  private lend(c: PgConn, holder: Pid): void {
    if (holder.isNull()) return; // not called from a process: nothing to watch
    const h = onExit(holder, () => this.reclaim(c));
    if (h === null) this.reclaim(c); // the holder died while waiting for the connection
    else this.lent.set(c, h);
  }

  unlend(c: PgConn): void {
    const h = this.lent.get(c);
    if (h === undefined) return;
    this.lent.delete(c);
    h.cancel();
  }

  /** The outcome of `acquire()` as a handle lent to `holder`, recorded as soon as the session is
   * granted, so a holder that dies while still waiting for it cannot leak it either. */
  lendTo(holder: Pid): (o: Outcome<Session>) => Outcome<PgConn> {
    return (o) => {
      if (!o.ok) return o;
      const c = new PgConn(o.v, this);
      this.lend(c, holder);
      return { ok: true, v: c };
    };
  }

  /** Takes back the session of a holder that exited without checking in, after the statement it
   * may have left in flight (a BEGIN still running must not reach the next holder). */
  private reclaim(c: PgConn): void {
    this.lent.delete(c);
    const s = c.session;
    if (s === null) return;
    void afterInflight(c).then(() => {
      if (c.session !== s) return;
      detach(c);
      void this.release(s);
    });
  }

  /** Checkout, one statement, checkin (also on error). */
  async run(sql: string, params: readonly string[]): Promise<Outcome<QueryResult>> {
    const got = await this.acquire();
    if (!got.ok) return got;
    try {
      return await runQuery(got.v, sql, params);
    } finally {
      await this.release(got.v);
    }
  }
}

// ---- the Mesh module ----------------------------------------------------------------------------

function* open(url: string, min: number, max: number, timeoutMs: number): Generator<unknown, Result<PoolHandle, string>, unknown> {
  const lo = Math.max(0, Math.trunc(min));
  const hi = Math.max(Math.trunc(max), Math.max(1, lo));
  const p = new PoolHandle(url, lo, hi, Math.max(100, Math.trunc(timeoutMs)));
  return yield* awaitPromise(
    p.open().then(
      () => new Ok(p) as Result<PoolHandle, string>,
      (e: unknown) => new Err(`pool open: ${messageOf(e)}`),
    ),
  );
}

function* checkout(p: PoolHandle): Generator<unknown, Result<PgConn, string>, unknown> {
  const got = yield* awaitPromise(p.acquire().then(p.lendTo(self())));
  return got.ok ? new Ok(got.v) : new Err(got.e);
}

function* checkin(p: PoolHandle, c: PgConn): Generator<unknown, undefined, unknown> {
  if (c.session === null || c.pool !== p) return undefined;
  const s = detach(c)!; // the handle is dead from now on; the session lives on in the pool
  yield* awaitPromise(p.release(s));
  return undefined;
}

function* query(p: PoolHandle, sql: string, params: List<string>): Generator<unknown, Result<List<MeshMap<string, string>>, string>, unknown> {
  const o = yield* awaitPromise(p.run(sql, params.toArray()));
  return o.ok ? new Ok(rowsToMaps(o.v)) : new Err(o.e);
}

function* execute(p: PoolHandle, sql: string, params: List<string>): Generator<unknown, Result<number, string>, unknown> {
  const o = yield* awaitPromise(p.run(sql, params.toArray()));
  return o.ok ? new Ok(rowCountOf(o.v.command)) : new Err(o.e);
}

function* queryAs(p: PoolHandle, sql: string, params: List<string>, f: Function): Generator<unknown, Result<List<unknown>, string>, unknown> {
  const o = yield* awaitPromise(p.run(sql, params.toArray()));
  if (!o.ok) return new Err(o.e);
  return new Ok(yield* mapRows(rowsToMaps(o.v), f));
}

function* transaction(p: PoolHandle, body: Function): Generator<unknown, Result<unknown, string>, unknown> {
  // lent to this process: if it exits inside the body, its exit hook gives the connection back
  const got = yield* awaitPromise(p.acquire().then(p.lendTo(self())));
  if (!got.ok) return new Err(got.e);
  const c = got.v;
  const r = yield* transactionOn(c, body);
  const s = detach(c);
  if (s !== null) void p.release(s);
  return r;
}

function* close(p: PoolHandle): Generator<unknown, undefined, unknown> {
  yield* awaitPromise(p.close());
  return undefined;
}

export const Pool = {
  open,
  checkout,
  checkin,
  query,
  execute,
  query_as: queryAs,
  transaction,
  close,
};
