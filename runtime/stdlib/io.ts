// Console I/O: stdout/stderr writers behind println/print/eprintln (stdlib.md §1, §2) and
// IO.read_line. Stdout is buffered and flushed at the end of the current synchronous run (a
// microtask), when the buffer grows large, before anything is written to stderr, and at exit;
// all writes are synchronous (fs.writeSync), so nothing is lost and order is program order.
import { readSync } from "node:fs";
import { err, ok, type Result } from "../core/builtin-types.js";

export { writeFdSync } from "../core/fd-write.js";
import { pause, writeFdSync } from "../core/fd-write.js";

export interface OutputSink {
  stdout(s: string): void;
  stderr(s: string): void;
}

const realSink: OutputSink = { stdout: (s) => writeFdSync(1, s), stderr: (s) => writeFdSync(2, s) };
let sink: OutputSink = realSink;
let pending = "";
let scheduled = false;
let exitHook = false;
const FLUSH_AT = 1 << 16;

/** Redirects program output (tests); null restores the real file descriptors. */
export function setOutputSink(s: OutputSink | null): void {
  flushStdout();
  sink = s ?? realSink;
}

export function flushStdout(): void {
  if (pending.length > 0) {
    const s = pending;
    pending = "";
    sink.stdout(s);
  }
}

export function writeStdout(s: string): void {
  pending += s;
  if (pending.length >= FLUSH_AT) {
    flushStdout();
    return;
  }
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      flushStdout();
    });
  }
  if (!exitHook) {
    exitHook = true;
    process.on("exit", flushStdout);
  }
}

export function writeStderr(s: string): void {
  flushStdout();
  sink.stderr(s);
}

// ---- stdin

let inBuf: Buffer = Buffer.alloc(0);
let inEof = false;
let stdinFd = 0;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Tests: read lines from another descriptor (or reset to 0). */
export function setStdinFd(fd: number): void {
  stdinFd = fd;
  inBuf = Buffer.alloc(0);
  inEof = false;
}

function fill(): boolean {
  const chunk = Buffer.alloc(65536);
  for (;;) {
    try {
      const n = readSync(stdinFd, chunk, 0, chunk.length, null);
      if (n === 0) {
        inEof = true;
        return false;
      }
      inBuf = inBuf.length === 0 ? chunk.subarray(0, n) : Buffer.concat([inBuf, chunk.subarray(0, n)]);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        pause(5);
        continue;
      }
      if (code === "EOF") {
        inEof = true;
        return false;
      }
      throw e;
    }
  }
}

/** One line of stdin without its "\n" and then "\r"; Ok("") at end of input. */
export function readLineSync(): Result<string, string> {
  try {
    let nl = inBuf.indexOf(10);
    while (nl < 0 && !inEof) {
      if (!fill()) break;
      nl = inBuf.indexOf(10);
    }
    let line: Buffer;
    if (nl >= 0) {
      line = inBuf.subarray(0, nl);
      inBuf = inBuf.subarray(nl + 1);
    } else {
      line = inBuf;
      inBuf = Buffer.alloc(0);
    }
    let s: string;
    try {
      s = utf8.decode(line);
    } catch {
      return err("stream did not contain valid UTF-8");
    }
    if (s.endsWith("\r")) s = s.slice(0, -1);
    return ok(s);
  } catch (e) {
    return err(osMessage(e));
  }
}

// Linux strerror texts for the errors file and stdin operations can report (stdlib.md §15).
const STRERROR: Record<string, [number, string]> = {
  EPERM: [1, "Operation not permitted"],
  ENOENT: [2, "No such file or directory"],
  EIO: [5, "Input/output error"],
  ENXIO: [6, "No such device or address"],
  E2BIG: [7, "Argument list too long"],
  EBADF: [9, "Bad file descriptor"],
  EAGAIN: [11, "Resource temporarily unavailable"],
  ENOMEM: [12, "Cannot allocate memory"],
  EACCES: [13, "Permission denied"],
  EFAULT: [14, "Bad address"],
  EBUSY: [16, "Device or resource busy"],
  EEXIST: [17, "File exists"],
  EXDEV: [18, "Invalid cross-device link"],
  ENODEV: [19, "No such device"],
  ENOTDIR: [20, "Not a directory"],
  EISDIR: [21, "Is a directory"],
  EINVAL: [22, "Invalid argument"],
  ENFILE: [23, "Too many open files in system"],
  EMFILE: [24, "Too many open files"],
  ETXTBSY: [26, "Text file busy"],
  EFBIG: [27, "File too large"],
  ENOSPC: [28, "No space left on device"],
  ESPIPE: [29, "Illegal seek"],
  EROFS: [30, "Read-only file system"],
  EMLINK: [31, "Too many links"],
  EPIPE: [32, "Broken pipe"],
  ENAMETOOLONG: [36, "File name too long"],
  ENOTEMPTY: [39, "Directory not empty"],
  ELOOP: [40, "Too many levels of symbolic links"],
  EDQUOT: [122, "Disk quota exceeded"],
  ESTALE: [116, "Stale file handle"],
  ETIMEDOUT: [110, "Connection timed out"],
  ECONNREFUSED: [111, "Connection refused"],
  ECONNRESET: [104, "Connection reset by peer"],
  EOPNOTSUPP: [95, "Operation not supported"],
};

/** `<description> (os error <errno>)` for a Node.js system error. */
export function osMessage(e: unknown): string {
  const ne = e as NodeJS.ErrnoException;
  const code = typeof ne?.code === "string" ? ne.code : undefined;
  if (code !== undefined && STRERROR[code] !== undefined) {
    const [n, text] = STRERROR[code];
    return `${text} (os error ${n})`;
  }
  if (typeof ne?.errno === "number") return `${code ?? "Unknown error"} (os error ${Math.abs(ne.errno)})`;
  return e instanceof Error ? e.message : String(e);
}

function* read_line(): Generator<never, Result<string, string>, unknown> {
  return readLineSync();
}

function eprintln(s: string): void {
  writeStderr(s + "\n");
}

export const IO = {
  /** [S] Suspending in the signature table; this implementation reads synchronously. */
  read_line,
  eprintln,
};
