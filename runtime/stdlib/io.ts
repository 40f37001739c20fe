// Console I/O: stdout/stderr writers behind println/print/eprintln (stdlib.md §1, §2) and
// IO.read_line. Stdout is buffered and flushed at the end of the current synchronous run (a
// microtask), when the buffer grows large, before anything is written to stderr, and at exit;
// all writes are synchronous (fs.writeSync), so nothing is lost and order is program order.
// IO.read_line suspends only the calling process (the read runs on the thread pool).
import { nodeFs } from "../core/node-builtin.js";
import { awaitPromise, self } from "../sched/index.js";
import { err, ok, type Result } from "../core/builtin-types.js";

export { writeFdSync } from "../core/fd-write.js";
import { pause, writeFdSync } from "../core/fd-write.js";

const { read, readSync } = nodeFs;

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
//
// Lines are cut from the unread bytes `inBuf`; a line longer than one read is collected in
// `parts` and joined once, so each byte is scanned and copied a bounded number of times (linear in
// the line length). Inside a process the reads are asynchronous (fs.read on the thread pool) and
// only the calling process waits; outside any process (tests, host code) they are synchronous.

let inBuf: Buffer = Buffer.alloc(0);
let parts: Buffer[] = [];
let inEof = false;
let stdinFd = 0;
/** the asynchronous line reads in progress, in call order (lines go to callers in that order) */
let lineChain: Promise<unknown> | null = null;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const CHUNK = 65536;

/** Tests: read lines from another descriptor (or reset to 0). */
export function setStdinFd(fd: number): void {
  stdinFd = fd;
  inBuf = Buffer.alloc(0);
  parts = [];
  inEof = false;
  lineChain = null;
}

/** Cuts the next line from what has been read: the line, or null if more input is needed. */
function takeLine(): Result<string, string> | null {
  const nl = inBuf.indexOf(10);
  let line: Buffer;
  if (nl >= 0) {
    const end = inBuf.subarray(0, nl);
    line = parts.length === 0 ? end : Buffer.concat([...parts, end]);
    inBuf = inBuf.subarray(nl + 1);
  } else if (inEof) {
    line = parts.length === 0 ? inBuf : Buffer.concat([...parts, inBuf]);
    inBuf = Buffer.alloc(0);
  } else {
    if (inBuf.length > 0) parts.push(inBuf);
    inBuf = Buffer.alloc(0);
    return null;
  }
  parts = [];
  return decodeLine(line);
}

function decodeLine(line: Buffer): Result<string, string> {
  let s: string;
  try {
    s = utf8.decode(line);
  } catch {
    return err("stream did not contain valid UTF-8");
  }
  if (s.endsWith("\r")) s = s.slice(0, -1);
  return ok(s);
}

function took(chunk: Buffer, n: number): void {
  if (n === 0) inEof = true;
  else inBuf = chunk.subarray(0, n);
}

function fillSync(): void {
  const chunk = Buffer.allocUnsafe(CHUNK);
  for (;;) {
    try {
      took(chunk, readSync(stdinFd, chunk, 0, CHUNK, null));
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        pause(5);
        continue;
      }
      if (code === "EOF") {
        inEof = true;
        return;
      }
      throw e;
    }
  }
}

function fillAsync(): Promise<void> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  return new Promise<void>((resolve, reject) => {
    const attempt = (): void =>
      read(stdinFd, chunk, 0, CHUNK, null, (e, n) => {
        if (e === null) {
          took(chunk, n);
          return resolve();
        }
        // a non-blocking descriptor (a terminal, some pipes) with nothing to read yet
        if (e.code === "EAGAIN") return void setTimeout(attempt, 5);
        if (e.code === "EOF") {
          inEof = true;
          return resolve();
        }
        reject(e);
      });
    attempt();
  });
}

/** One line of stdin without its "\n" and then "\r"; Ok("") at end of input. Blocks the thread. */
export function readLineSync(): Result<string, string> {
  try {
    for (;;) {
      const line = takeLine();
      if (line !== null) return line;
      fillSync();
    }
  } catch (e) {
    parts = [];
    return err(osMessage(e));
  }
}

async function readLineAsync(): Promise<Result<string, string>> {
  try {
    for (;;) {
      const line = takeLine();
      if (line !== null) return line;
      await fillAsync();
    }
  } catch (e) {
    parts = [];
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

/** `IO.read_line` [S]: suspends only the calling process while it waits for input. */
function* read_line(): Generator<unknown, Result<string, string>, unknown> {
  if (self().isNull()) return readLineSync();
  if (lineChain === null) {
    const line = takeLine(); // a line already buffered: no wait
    if (line !== null) return line;
  }
  const prev = lineChain;
  const mine: Promise<Result<string, string>> = prev === null ? readLineAsync() : prev.then(readLineAsync);
  lineChain = mine;
  void mine.then(() => {
    if (lineChain === mine) lineChain = null;
  });
  return yield* awaitPromise(mine);
}

function eprintln(s: string): void {
  writeStderr(s + "\n");
}

export const IO = {
  read_line,
  eprintln,
};
