// Prelude functions (stdlib.md §1, language.md §6.9): always in scope without a module prefix.
import { compare as compareValues } from "../core/compare.js";
import { panic as raise } from "../core/panic.js";
import { writeStderr, writeStdout } from "./io.js";
import { filter, filter$g, List_, map, map$g, reduce, reduce$g } from "./list.js";

export const prelude = {
  println: (s: string): void => writeStdout(s + "\n"),
  print: (s: string): void => writeStdout(s),
  eprintln: (s: string): void => writeStderr(s + "\n"),
  panic: (message: string): never => raise(message),
  map,
  map$g,
  filter,
  filter$g,
  reduce,
  reduce$g,
  head: List_.head,
  tail: List_.tail,
  compare: compareValues,
  /**
   * `default()`: the type comes from context, so the compiler passes the zero value of the
   * expected type (`0`, `0.0`, `""`, `false`) and this returns it. User types with a `Default`
   * impl are called directly by the compiler.
   */
  default: <T>(zero: T): T => zero,
};
