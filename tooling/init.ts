// `meshc init <name>` / `meshc new <name>` (tooling.md §3.1): a new project directory holding
// exactly mesh.toml and a main.mpl that compiles and runs.
import * as fs from "node:fs";
import * as path from "node:path";

export function manifestTemplate(name: string): string {
  return `[package]\nname = "${name}"\nversion = "0.1.0"\n\n[dependencies]\n`;
}

export const MAIN_TEMPLATE = 'fn main() do\n  println("Hello from Mesh!")\nend\n';

export function runInit(name: string, cwd = process.cwd()): number {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    process.stderr.write(`meshc: invalid project name '${name}'\n`);
    return 1;
  }
  const dir = path.join(cwd, name);
  if (fs.existsSync(dir)) {
    process.stderr.write(`meshc: Directory '${name}' already exists\n`);
    return 1;
  }
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "mesh.toml"), manifestTemplate(name));
  fs.writeFileSync(path.join(dir, "main.mpl"), MAIN_TEMPLATE);
  process.stdout.write(`Created project '${name}'\n`);
  return 0;
}
