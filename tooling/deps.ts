// `meshc deps [dir]` (tooling.md §3.3): resolves path dependencies through the manifests (git
// and other forms are refused), detects conflicts and cycles, and writes mesh.lock only when its
// bytes change. Also lists the dependencies' sources that builds and the language server add to
// a project (§3.3 [EXT]).
import * as fs from "node:fs";
import * as path from "node:path";
import { ManifestError, parseManifest } from "./manifest.js";
import { findSources, moduleNameOf, type SourceFile } from "../compiler/analyse/project.js";
import { NodeFileSystem } from "../compiler/fs/file-system.js";

export interface ResolvedDep {
  readonly name: string;
  readonly dir: string; // real path
  readonly source: string; // relative to the project root, `/` separators
}

export class DepsError extends Error {}

export function resolveDeps(root: string, warn: (s: string) => void = () => {}): ResolvedDep[] {
  const rootReal = fs.realpathSync(root);
  const found = new Map<string, ResolvedDep>();
  const resolving: string[] = [];
  const visit = (manifestDir: string) => {
    const m = parseManifest(fs.readFileSync(path.join(manifestDir, "mesh.toml"), "utf8"));
    for (const w of m.warnings) warn(w);
    if (resolving.length === 0) resolving.push(m.name);
    for (const dep of Object.keys(m.dependencies).sort()) {
      const spec = m.dependencies[dep];
      if (typeof spec === "object" && spec !== null && !Array.isArray(spec) && "git" in spec) {
        throw new DepsError(`git dependency '${dep}' is not supported; declare it as { path = "…" } pointing to a local checkout`);
      }
      if (typeof spec !== "object" || spec === null || Array.isArray(spec) || typeof spec["path"] !== "string") {
        throw new DepsError(`unsupported dependency form for '${dep}'`);
      }
      const p = spec["path"] as string;
      const abs = path.isAbsolute(p) ? p : path.join(manifestDir, p);
      if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new DepsError(`path dependency '${dep}' not found: ${p}`);
      const real = fs.realpathSync(abs);
      if (resolving.includes(dep)) throw new DepsError(`Dependency cycle detected: \`${dep}\` is already being resolved`);
      const prev = found.get(dep);
      if (prev !== undefined) {
        if (prev.dir !== real) throw new DepsError(`Dependency conflict: \`${dep}\` required from two different sources`);
        continue;
      }
      const source = path.relative(rootReal, real).split(path.sep).join("/") || ".";
      found.set(dep, { name: dep, dir: real, source });
      if (fs.existsSync(path.join(real, "mesh.toml"))) {
        resolving.push(dep);
        visit(real);
        resolving.pop();
      }
    }
  };
  visit(rootReal);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function lockText(deps: readonly ResolvedDep[]): string {
  if (deps.length === 0) return "version = 1\n\npackages = []\n";
  const q = (s: string) => JSON.stringify(s);
  return "version = 1\n" + deps.map((d) => `\n[[packages]]\nname = ${q(d.name)}\nsource = ${q(d.source)}\nrevision = "local"\n`).join("");
}

export function runDeps(dir: string): number {
  const err = (s: string) => process.stderr.write(s + "\n");
  if (!fs.existsSync(path.join(dir, "mesh.toml"))) {
    err(`meshc: No 'mesh.toml' found in '${dir}'. Run \`meshc init\` to create a project.`);
    return 1;
  }
  let deps: ResolvedDep[];
  try {
    deps = resolveDeps(dir, err);
  } catch (e) {
    if (e instanceof DepsError || e instanceof ManifestError) {
      err(`meshc: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const text = lockText(deps);
  const lock = path.join(dir, "mesh.lock");
  let old: string | null = null;
  try {
    old = fs.readFileSync(lock, "utf8");
  } catch {
    // no lock yet
  }
  if (old === text) {
    err("Dependencies up to date");
    return 0;
  }
  const tmp = `${lock}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, lock);
  err(deps.length === 0 ? "No dependencies" : `Resolved ${deps.length} dependencies`);
  return 0;
}

/** A dependency's module, as a source of the project that uses it. */
export interface DependencySource extends SourceFile {
  readonly dep: string; // the dependency's name in mesh.toml
  readonly abs: string; // absolute path of the file
}

// Where dependency modules appear among the project's files: below a directory whose name starts
// with `.`, which project discovery skips (language.md §2.1), so no project file can have the
// same path, and their compiled modules land inside the build directory.
export const DEPS_PREFIX = ".deps";

/**
 * The `.mpl` files of the path dependencies declared by `root`/mesh.toml (transitively), each under
 * its own module name (path relative to the dependency's directory; its root `main.mpl` is left
 * out). No manifest: none. Throws ManifestError / DepsError (messages ready for the user).
 * Used by `meshc build|check|run`; the language server can call it with the workspace root.
 */
export function dependencySources(root: string, warn: (s: string) => void = () => {}): DependencySource[] {
  if (!fs.existsSync(path.join(root, "mesh.toml"))) return [];
  const fsys = new NodeFileSystem();
  const out: DependencySource[] = [];
  for (const dep of resolveDeps(root, warn)) {
    for (const rel of findSources(fsys, dep.dir)) {
      if (rel === "main.mpl") continue;
      const abs = path.join(dep.dir, rel);
      let text = fs.readFileSync(abs, "utf8");
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      out.push({ file: `${DEPS_PREFIX}/${dep.name}/${rel}`, name: moduleNameOf(rel), text, dep: dep.name, abs });
    }
  }
  return out;
}
