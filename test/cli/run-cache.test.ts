// `meshc run` reusing its last compilation (cli/run-cache.ts, docs/decisions.md 83): an unchanged
// target runs without recompiling and prints the same warnings; any change to a source, to a path
// dependency's source or a damaged output directory compiles again.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { meshc } from "../support/golden.js";
import { runDirFor } from "../../cli/run-cache.js";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-run-cache-test-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const WARNS = `fn pick(n :: Int) -> Int do
  case n do
    _ -> 0
    1 -> 1
  end
end

fn main() do
  println("picked \${pick(1)}")
end
`;

// a single file compiles to <its name>.js
const entryOf = (file: string) => path.join(runDirFor(file), path.basename(file).replace(/\.mpl$/, ".js"));
const entryMtime = (file: string) => fs.statSync(entryOf(file)).mtimeMs;

describe("meshc run reusing its last compilation", () => {
  it("reruns an unchanged program without recompiling, with the same output and warnings", async () => {
    const file = path.join(tmp, "warns.mpl");
    fs.writeFileSync(file, WARNS);
    const first = await meshc(["run", file]);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe("picked 0\n");
    expect(first.stderr).toMatch(/^warning\[W0001\]: unreachable arm/);
    const built = entryMtime(file);
    const again = await meshc(["run", file]);
    expect(again).toEqual(first);
    expect(entryMtime(file)).toBe(built); // nothing was written again
  });

  it("compiles again when a source changes, and when an output file is missing", async () => {
    const file = path.join(tmp, "changes.mpl");
    fs.writeFileSync(file, 'fn main() do\n  println("one")\nend\n');
    expect((await meshc(["run", file])).stdout).toBe("one\n");
    fs.writeFileSync(file, 'fn main() do\n  println("two")\nend\n');
    expect((await meshc(["run", file])).stdout).toBe("two\n");
    fs.rmSync(entryOf(file));
    const rerun = await meshc(["run", file]);
    expect(rerun.stdout).toBe("two\n");
    expect(rerun.stderr).toBe("");
  });

  it("compiles again when a module of a project changes, and then fails like any compilation", async () => {
    const dir = path.join(tmp, "proj");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "main.mpl"), 'fn main() do\n  println(Util.word())\nend\n');
    fs.writeFileSync(path.join(dir, "util.mpl"), 'pub fn word() -> String do\n  "first"\nend\n');
    expect((await meshc(["run", dir])).stdout).toBe("first\n");
    fs.writeFileSync(path.join(dir, "util.mpl"), 'pub fn word() -> String do\n  "second"\nend\n');
    expect((await meshc(["run", dir])).stdout).toBe("second\n");
    fs.writeFileSync(path.join(dir, "util.mpl"), "pub fn word() -> String do\n  1\nend\n");
    const broken = await meshc(["run", dir]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toMatch(/^error\[E\d{4}\]/);
  });
});
