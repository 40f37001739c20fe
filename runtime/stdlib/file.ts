// The File module (stdlib.md §15): synchronous, UTF-8, errors as `<strerror> (os error N)`.
import { nodeFs } from "../core/node-builtin.js";
import { List } from "../core/list.js";
import { err, ok, type Result } from "../core/builtin-types.js";
import { osMessage } from "./io.js";
import { awaitPromise } from "../sched/index.js";

const { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } = nodeFs;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function read(path: string): Result<string, string> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return err(osMessage(e));
  }
  try {
    return ok(utf8.decode(bytes));
  } catch {
    return err("stream did not contain valid UTF-8");
  }
}

function write(path: string, content: string): Result<undefined, string> {
  try {
    writeFileSync(path, content);
    return ok(undefined);
  } catch (e) {
    return err(osMessage(e));
  }
}

function append(path: string, content: string): Result<undefined, string> {
  try {
    appendFileSync(path, content);
    return ok(undefined);
  } catch (e) {
    return err(osMessage(e));
  }
}

/**
 * `File.sync(path)` [S]: flushes the file's written data to the disk (fdatasync); after Ok it
 * survives a power loss. The sync runs on the thread pool and suspends only the calling process.
 */
function* sync(path: string): Generator<unknown, Result<undefined, string>, unknown> {
  const done = yield* awaitPromise(
    nodeFs.promises.open(path, "r").then(
      (h) => h.datasync().finally(() => h.close()).then(() => null, (e: unknown) => e),
      (e: unknown) => e,
    ),
  );
  return done === null ? ok(undefined) : err(osMessage(done));
}

/**
 * `File.append_durable(path, content)` [S]: appends and flushes the file's data to the disk before
 * answering (one open, write, fdatasync and close on the thread pool); only the caller waits.
 */
function* appendDurable(path: string, content: string): Generator<unknown, Result<undefined, string>, unknown> {
  const done = yield* awaitPromise(
    nodeFs.promises.open(path, "a").then(
      (h) =>
        h
          .appendFile(content, "utf8")
          .then(() => h.datasync())
          .finally(() => h.close())
          .then(() => null, (e: unknown) => e),
      (e: unknown) => e,
    ),
  );
  return done === null ? ok(undefined) : err(osMessage(done));
}

function exists(path: string): boolean {
  try {
    return existsSync(path);
  } catch {
    return false;
  }
}

function del(path: string): Result<undefined, string> {
  try {
    unlinkSync(path);
    return ok(undefined);
  } catch (e) {
    return err(osMessage(e));
  }
}

/** Creates the directory and any missing parents; Ok if it already exists (a journal's folder). */
function mkdirP(path: string): Result<undefined, string> {
  try {
    mkdirSync(path, { recursive: true });
    return ok(undefined);
  } catch (e) {
    return err(osMessage(e));
  }
}

/** The entry names of a directory, sorted bytewise so listings are deterministic. */
function listDir(path: string): Result<List, string> {
  try {
    const names = readdirSync(path);
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return ok(List.fromArray(names));
  } catch (e) {
    return err(osMessage(e));
  }
}

/** Atomic replace within one file system (write a temp file, then rename it over the target). */
function rename(from: string, to: string): Result<undefined, string> {
  try {
    renameSync(from, to);
    return ok(undefined);
  } catch (e) {
    return err(osMessage(e));
  }
}

export const File_ = { read, write, append, append_durable: appendDurable, sync, exists, delete: del, mkdir_p: mkdirP, list_dir: listDir, rename };
