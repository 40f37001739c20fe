// The scheduler primitives the web runtime uses (runtime/sched): request and connection processes,
// host-promise waits, exit hooks (a request or connection whose process exits is answered or
// closed), keep-alive handles, stderr lines and the node's scheduler (per-node state, state.ts).
export { MeshPanic, reasonOf, isGen, isGenObj, spawn, awaitPromise, holdAlive, writeErr, self, onExit, currentScheduler, type Scheduler, type Pid } from "../sched/index.js";
export { ExitNow } from "../sched/errors.js";
