// The scheduler primitives the web runtime uses (runtime/sched): request and connection processes,
// host-promise waits, keep-alive handles and stderr lines. One import point for the web modules.
export { MeshPanic, reasonOf, isGen, isGenObj, spawn, awaitPromise, holdAlive, writeErr, self } from "../sched/index.js";
export { ExitNow } from "../sched/errors.js";
