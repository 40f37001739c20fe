// `meshc deps [dir]` (tooling.md §3.3): resolves path dependencies through the manifests (git
// and other forms are refused), detects conflicts and cycles, and writes mesh.lock only when its
// bytes change. Also lists dependency sources for the language server and builds.
import * as fs from "node:fs";
import * as path from "node:path";
import { ManifestError, parseManifest } from "./manifest.js";

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
