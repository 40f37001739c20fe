// The whole-program view shared by the checker and the code generator: every parsed module,
// ordered so that a module comes after the modules it imports (the entry module last).
import type { Module, Span } from "../ast/syntax.js";

export interface ProgramModule {
  readonly name: string; // "Geometry.Shapes"; "Main" for the root main.mpl
  readonly file: string; // relative path "geometry/shapes.mpl"
  readonly ast: Module;
  readonly imports: readonly { readonly module: string; readonly span: Span }[]; // project modules it imports (stdlib imports excluded)
}

export interface Program {
  readonly modules: readonly ProgramModule[]; // dependency order
  readonly byName: ReadonlyMap<string, ProgramModule>;
  readonly entry: string | null; // "Main" when the project has a root main.mpl
}
