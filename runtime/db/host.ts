// The scheduler primitives the database runtime uses (runtime/sched): host-promise waits (every
// database call is a suspension point), stderr lines, and the calling process with a liveness
// check (pools take back connections whose holder died).
export { awaitPromise, reasonOf, writeErr, self, isAlive, type Pid } from "../sched/index.js";
export { ExitNow } from "../sched/errors.js";
