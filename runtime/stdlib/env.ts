// The Env module (stdlib.md §14).
import { None, Some, type Option } from "../core/builtin-types.js";

function get(name: string): Option<string> {
  if (name.length === 0 || name.includes("=") || name.includes("\0")) return None;
  const v = process.env[name];
  return v === undefined ? None : new Some(v);
}

export const Env_ = { get };
