// System module and the File additions (docs/decisions.md "System module"): a compiled program
// installs a SIGTERM handler, the test sends a real SIGTERM, and the handler's System.exit(3) ends
// the program with that status after its output is flushed.
import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildProgram, startServer, stopAll, withTimeout } from "./harness.js";

afterAll(stopAll);

describe("System", () => {
  it("turns SIGTERM into a process that exits with System.exit's status", async () => {
    const launcher = await buildProgram("system_signal");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-sys-"));
    const dir = path.join(out, "a", "b");
    const srv = await startServer(launcher, { env: { OUT_DIR: dir }, ready: () => "ready", readyOn: "stdout" });
    expect(fs.readdirSync(dir)).toEqual(["y.txt"]);
    srv.child.kill("SIGTERM");
    await withTimeout(new Promise<void>((r) => (srv.exited ? r() : srv.child.on("exit", () => r()))), 5000, "exit after SIGTERM");
    expect(srv.exited).toEqual({ code: 3, signal: null });
    expect(srv.stdout.text).toBe("mkdir ok\ny.txt\non_signal: 0\nbad: 1\nready\ngot SIGTERM, cleaning up\n");
    fs.rmSync(out, { recursive: true, force: true });
  });
});
