// The scheduler primitives the database runtime uses (runtime/sched): host-promise waits (every
// database call is a suspension point), stderr lines, the calling process, and exit hooks (pool
// checkouts, connections and open transactions are given back when their process exits).
export { awaitPromise, reasonOf, writeErr, self, onExit, currentScheduler, type Pid, type ExitHook, type Scheduler } from "../sched/index.js";
export { ExitNow } from "../sched/errors.js";
