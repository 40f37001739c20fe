// Synchronous, complete writes to a file descriptor, shared by the library's console output and
// the scheduler's reports: output order is execution order and nothing is lost at exit.
import { nodeFs } from "./node-builtin.js";

const { writeSync } = nodeFs;

let sleeper: Int32Array | null = null;
/** Blocks the thread for `ms` milliseconds (retrying a non-blocking descriptor). */
export function pause(ms: number): void {
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Writes all of `s` to a file descriptor, retrying on EAGAIN (non-blocking pipes). */
export function writeFdSync(fd: number, s: string): void {
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
      if (code === "EPIPE") return;
      throw e;
    }
  }
}
