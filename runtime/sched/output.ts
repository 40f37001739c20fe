// Synchronous stdout/stderr writers for the process runtime (runtime/sched): output order is
// execution order and nothing is lost when the program exits (concurrency.md §8.2).
import { writeSync } from "node:fs";

let sleeper: Int32Array | null = null;

function pause(ms: number): void {
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}

export function writeFd(fd: number, s: string): void {
  if (s.length === 0) return;
  const buf = Buffer.from(s, "utf8");
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        pause(1);
        continue;
      }
      if (code === "EPIPE") return; // reader went away: drop output rather than crash the node
      throw e;
    }
  }
}

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
