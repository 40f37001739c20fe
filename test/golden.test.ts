// Golden tests: every appendix program of the specs runs through the real CLI (`meshc run`) and
// its whole stdout is compared; error programs must fail with the declared diagnostic code and,
// where a .err file exists, exactly that rendered output.
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { casesWithoutOutput, discoverRunCases, discoverErrorCases, meshc, firstDifference, ROOT } from "./support/golden.js";

const RUN_DIRS = ["test/golden/run", "test/golden/conc", "test/golden/stdlib", "test/golden/orm"];

describe("golden folders", () => {
  it("every program has its expected output (a program without a .out would silently not run)", () => {
    for (const dir of RUN_DIRS) expect(casesWithoutOutput(dir), dir).toEqual([]);
  });
});

for (const dir of RUN_DIRS) {
  describe.concurrent(dir, () => {
    for (const c of discoverRunCases(dir)) {
      it(c.name, async () => {
        let cwd = ROOT;
        if (c.sidecar.files) {
          cwd = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-golden-"));
          for (const [f, t] of Object.entries(c.sidecar.files)) {
            fs.mkdirSync(path.dirname(path.join(cwd, f)), { recursive: true });
            fs.writeFileSync(path.join(cwd, f), t);
          }
        }
        const r = await meshc(["run", c.target, ...(c.sidecar.args ? ["--", ...c.sidecar.args] : [])], {
          input: c.sidecar.stdin,
          env: c.sidecar.env,
          unsetEnv: c.sidecar.unsetEnv,
          cwd,
        });
        const diff = firstDifference(r.stdout, c.expectedOut);
        if (diff) throw new Error(`${c.name}: stdout ${diff}\n--- stderr:\n${r.stderr.slice(0, 2000)}`);
        expect(r.status, `exit status; stderr:\n${r.stderr.slice(0, 2000)}`).toBe(c.sidecar.status ?? 0);
        if (c.sidecar.stderrFirstLine !== undefined) expect(r.stderr.split("\n")[0]).toBe(c.sidecar.stderrFirstLine);
        for (const s of c.sidecar.stderrContains ?? []) expect(r.stderr).toContain(s);
      });
    }
  });
}

describe.concurrent("test/golden/errors", () => {
  for (const c of discoverErrorCases("test/golden/errors")) {
    it(c.name, async () => {
      const r = await meshc(["check", c.target]);
      const isWarning = c.code.startsWith("W");
      expect(r.status, r.stderr).toBe(isWarning ? 0 : 1);
      expect(r.stderr).toContain(`${isWarning ? "warning" : "error"}[${c.code}]`);
      expect(r.stderr).not.toMatch(/internal error|E9999|    at /);
      if (c.expectedErr !== null) {
        const diff = firstDifference(r.stderr.replaceAll(ROOT + "/", ""), c.expectedErr);
        if (diff) throw new Error(`${c.name}: diagnostics ${diff}\n--- actual:\n${r.stderr}`);
      }
    });
  }
});
