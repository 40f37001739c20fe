// The File module (stdlib.md §15): synchronous, UTF-8, errors as `<strerror> (os error N)`.
import { appendFileSync, existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { err, ok, type Result } from "../core/builtin-types.js";
import { osMessage } from "./io.js";

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

export const File_ = { read, write, append, exists, delete: del };
