// The golden helpers must not let a failure pass: a missing snapshot is written on a local run but
// fails under CI (where writing it would compare the output with itself).
import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareSnapshot, inCI } from "./golden.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-snap-"));
  dirs.push(d);
  return d;
}

describe("compareSnapshot", () => {
  it("under CI a missing snapshot fails and nothing is written", () => {
    const f = path.join(tmp(), "x.js");
    const diff = compareSnapshot(f, "code\n", { CI: "true" });
    expect(diff).toMatch(/is missing \(CI never writes snapshots/);
    expect(fs.existsSync(f)).toBe(false);
    // UPDATE_GOLDEN does not override CI either
    expect(compareSnapshot(f, "code\n", { CI: "1", UPDATE_GOLDEN: "1" })).toMatch(/is missing/);
    expect(fs.existsSync(f)).toBe(false);
  });

  it("locally a missing snapshot is written once, then compared", () => {
    const f = path.join(tmp(), "x.js");
    expect(compareSnapshot(f, "a\nb\n", {})).toBe(null);
    expect(fs.readFileSync(f, "utf8")).toBe("a\nb\n");
    expect(compareSnapshot(f, "a\nc\n", {})).toMatch(/first difference at line 2/);
    expect(compareSnapshot(f, "a\nc\n", { CI: "true" })).toMatch(/first difference at line 2/);
    expect(compareSnapshot(f, "a\nc\n", { UPDATE_GOLDEN: "1" })).toBe(null);
    expect(fs.readFileSync(f, "utf8")).toBe("a\nc\n");
  });

  it("reads CI the way CI services set it", () => {
    expect([inCI({ CI: "true" }), inCI({ CI: "1" }), inCI({ CI: "false" }), inCI({ CI: "" }), inCI({ CI: "0" }), inCI({})]).toEqual([true, true, false, false, false, false]);
  });
});
