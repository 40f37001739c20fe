// mesh.toml (tooling.md §3.2): reading and validating a project manifest, and finding the
// nearest one above a path. Errors carry the original's `Failed to parse manifest: ` prefix.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseToml, TomlError, type TomlTable, type TomlValue } from "./toml.js";

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly authors?: string[];
  readonly dependencies: Record<string, TomlValue>;
  readonly fmt: { lineWidth?: number; indentSize?: number };
  readonly warnings: string[];
}

export class ManifestError extends Error {}

const KNOWN: Record<string, readonly string[]> = {
  package: ["name", "version", "description", "authors"],
  fmt: ["line_width", "indent_size"],
};

export function parseManifest(text: string): Manifest {
  let t: TomlTable;
  try {
    t = parseToml(text);
  } catch (e) {
    if (e instanceof TomlError) throw new ManifestError(`Failed to parse manifest: ${e.message}`);
    throw e;
  }
  const bad = (detail: string): never => {
    throw new ManifestError(`Failed to parse manifest: ${detail}`);
  };
  const warnings: string[] = [];
  for (const k of Object.keys(t)) {
    if (k !== "package" && k !== "dependencies" && k !== "fmt") warnings.push(`mesh.toml: unknown key '${k}'`);
  }
  const pkg = t["package"];
  if (pkg === undefined) bad("missing [package] table");
  if (typeof pkg !== "object" || Array.isArray(pkg)) return bad("[package] must be a table");
  const tableKeys = (name: string, tab: TomlTable) => {
    for (const k of Object.keys(tab)) if (!KNOWN[name]!.includes(k)) warnings.push(`mesh.toml: unknown key '${name}.${k}'`);
  };
  tableKeys("package", pkg);
  const name = pkg["name"], version = pkg["version"];
  if (name === undefined) bad("missing package.name");
  if (typeof name !== "string") bad("package.name must be a string");
  if (version === undefined) bad("missing package.version");
  if (typeof version !== "string") bad("package.version must be a string");
  const description = pkg["description"];
  if (description !== undefined && typeof description !== "string") bad("package.description must be a string");
  const authors = pkg["authors"];
  if (authors !== undefined && (!Array.isArray(authors) || authors.some((a) => typeof a !== "string"))) bad("package.authors must be an array of strings");
  const deps = t["dependencies"] ?? {};
  if (typeof deps !== "object" || Array.isArray(deps)) return bad("[dependencies] must be a table");
  const fmtT = t["fmt"] ?? {};
  if (typeof fmtT !== "object" || Array.isArray(fmtT)) return bad("[fmt] must be a table");
  tableKeys("fmt", fmtT);
  const fmt: { lineWidth?: number; indentSize?: number } = {};
  const lw = fmtT["line_width"], is = fmtT["indent_size"];
  if (lw !== undefined) {
    if (typeof lw !== "number" || !Number.isInteger(lw) || lw < 20) bad("fmt.line_width must be an integer of at least 20");
    fmt.lineWidth = lw as number;
  }
  if (is !== undefined) {
    if (typeof is !== "number" || !Number.isInteger(is) || is < 1 || is > 8) bad("fmt.indent_size must be an integer from 1 to 8");
    fmt.indentSize = is as number;
  }
  return {
    name: name as string,
    version: version as string,
    ...(description !== undefined ? { description: description as string } : {}),
    ...(authors !== undefined ? { authors: authors as string[] } : {}),
    dependencies: deps as Record<string, TomlValue>,
    fmt,
    warnings,
  };
}

// The directory of the nearest mesh.toml at or above `start` (a directory), or null.
export function findManifestDir(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, "mesh.toml"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
