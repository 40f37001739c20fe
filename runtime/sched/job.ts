// Jobs on top of the process runtime (runtime/sched): Job.async/await/await_timeout/map (§5.2).
// The owner's internal monitor is a JobState kept outside the mailbox, so user receives never
// see job results or job Downs. Results are `{ ok: true, value } | { ok: false, error }`.
import { Pid } from "./pid.js";
import { BLOCK, isGenObj, JOB_INFO, monAdd, MonEntry, Process, rt } from "./process.js";

export type JobResult<T = unknown> = { ok: true; value: T } | { ok: false; error: string };

export class JobState extends MonEntry {
  done = false;
  ok = false;
  value: unknown = undefined;
  error = "";
  awaited = false;
  constructor(readonly owner: Process) {
    super();
  }
}

/** A job's pid: it carries the owner-side record of the job's outcome, which outlives the job. */
export class JobPid extends Pid {
  job: JobState | null = null;
}

/** Records the job's outcome (first one wins) and wakes the owner if it awaits this job. */
export function settleJob(st: JobState, ok: boolean, v: unknown): void {
  if (st.done) return;
  st.done = true;
  st.ok = ok;
  if (ok) st.value = v;
  else st.error = v as string;
  st.owner.sched.wake(st.owner, st);
}

function* jobBody(f: Function, arg: unknown, hasArg: boolean): Generator<unknown, void, unknown> {
  const p = rt.cur!;
  const r = hasArg ? f(arg) : f();
  const v = isGenObj(r) ? yield* r : r;
  settleJob((p.pid as JobPid).job!, true, v);
}

function startJob(owner: Process, f: Function, arg: unknown, hasArg: boolean): Pid {
  const s = owner.sched;
  const pid = new JobPid(s.localNode, s.newSerial());
  const st = new JobState(owner);
  pid.job = st;
  monAdd(s.start(pid, JOB_INFO, jobBody, [f, arg, hasArg]), st);
  return pid;
}

function owner(op: string): Process {
  const p = rt.cur;
  if (p === null) throw new Error(`${op} must be called inside a Mesh process`);
  return p;
}

/** Job.async(f): spawns a job running f(); the caller owns (monitors, not links) it. */
export function jobAsync(f: Function): Pid {
  return startJob(owner("Job.async"), f, undefined, false);
}

/** Job.await(job) */
export function* jobAwait(pid: Pid): Generator<unknown, JobResult, unknown> {
  return yield* jobAwaitTimeout(pid, -1);
}

/** Job.await_timeout(job, ms): `{ ok: false, error: "timeout" }` if nothing arrived in time. */
export function* jobAwaitTimeout(pid: Pid, ms: number): Generator<unknown, JobResult, unknown> {
  const me = owner("Job.await");
  const st = pid instanceof JobPid ? pid.job : null;
  if (st === null || st.owner !== me) return { ok: false, error: "not owner" };
  if (st.awaited) return { ok: false, error: "already awaited" };
  if (!st.done) {
    if (ms === 0) return { ok: false, error: "timeout" };
    const s = me.sched;
    s.startWait(me, st, ms < 0 ? -1 : ms);
    yield BLOCK;
    s.cancelWait(me);
    if (!st.done) return { ok: false, error: "timeout" };
  }
  st.awaited = true;
  return st.ok ? { ok: true, value: st.value } : { ok: false, error: st.error };
}

/** Job.map(xs, f): one job per element in order, then awaited in order. */
export function* jobMap(xs: readonly unknown[], f: Function): Generator<unknown, JobResult[], unknown> {
  const me = owner("Job.map");
  const pids: Pid[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) pids[i] = startJob(me, f, xs[i], true);
  const out: JobResult[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = yield* jobAwaitTimeout(pids[i]!, -1);
  return out;
}
