// Synchronous stdout/stderr writers for the process runtime (runtime/sched): output order is
// execution order and nothing is lost when the program exits (concurrency.md §8.2).
import { writeFdSync } from "../core/fd-write.js";

export const writeFd = writeFdSync;

export const stdoutWriter = (s: string): void => writeFd(1, s);
let beforeStderr: () => void = () => {};
/** Lets a buffering stdout layer flush before anything is written to stderr. */
export function setBeforeStderr(f: () => void): void {
  beforeStderr = f;
}
export const stderrWriter = (s: string): void => {
  beforeStderr();
  writeFd(2, s);
};
