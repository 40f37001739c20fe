// The scheduler primitives the database runtime uses (runtime/sched): host-promise waits (every
// database call is a suspension point) and stderr lines.
export { awaitPromise, reasonOf, writeErr } from "../sched/index.js";
export { ExitNow } from "../sched/errors.js";
