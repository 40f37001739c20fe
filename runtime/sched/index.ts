// Public entry of the process runtime (runtime/sched): the contract generated code and the
// stdlib use — processes, selective receive, links/monitors/registry, services, supervisors,
// timers, jobs, preemption budget, panics and program start/exit (concurrency.md §1–§5, §8).
// Blocking operations are used with `yield*` from generator code; see README.md in this folder.

export { NodeRef, Pid, PidSet, NULL_PID, isPid } from "./pid.js";
export { type Clock, RealClock, ManualClock } from "./clock.js";
export { SystemMessage, SysDown, SysExit, SysNodeDown, SysNodeUp, isSystemMessage } from "./messages.js";
export { MeshPanic, panic, reasonOf } from "./errors.js";
export { PREEMPT, TIMEOUT, budget, callDepth, isGen, isGenObj, TURN_BUDGET, type Process, type ExitHook } from "./process.js";
export { deepCall } from "./driver.js";
export {
  Scheduler,
  type SchedulerOptions,
  type SpawnOptions,
  type ProcessKind,
  type RemoteHooks,
} from "./scheduler.js";
export {
  defaultScheduler,
  setDefaultScheduler,
  currentScheduler,
  self,
  spawn,
  send,
  setActorArgs,
  receive,
  sleep,
  awaitPromise,
  link,
  unlink,
  monitor,
  demonitor,
  exit,
  trapExit,
  onExit,
  register,
  whereis,
  lookup,
  unregister,
  isAlive,
  sendAfter,
  applyAfter,
  runMain,
  holdAlive,
  writeOut,
  writeErr,
} from "./ops.js";
export { type ServiceDef, startService, serviceCall, serviceCast } from "./service.js";
export {
  type SupervisorDef,
  type ChildSpec,
  type Strategy,
  type RestartType,
  spawnSupervisor,
} from "./supervisor.js";
export { type JobResult, jobAsync, jobAwait, jobAwaitTimeout, jobMap } from "./job.js";
export { Subject, subjectNew, subjectSend, subjectAwait } from "./subject.js";
