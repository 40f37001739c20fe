// Mesher's listeners (mesher.md §2.2): both bind to MESHER_BIND_HOST, and a port that cannot be
// bound prints `[Mesher] Cannot listen on :{port}: {reason}` and exits 1.
import * as net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startMesher, stopAllMeshers, eventually } from "./harness.js";

afterAll(() => stopAllMeshers());

function occupy(port: number, host = "0.0.0.0"): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer((c) => c.destroy());
    s.once("error", reject);
    s.listen(port, host, () => resolve(s));
  });
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

describe("listeners", () => {
  it("bind both listeners to MESHER_BIND_HOST only", async () => {
    const node = await startMesher({ env: { MESHER_BIND_HOST: "127.0.0.2" }, waitReady: false });
    await node.waitLine(`[Mesher] HTTP server starting on :${node.httpPort}`, 150_000);
    const st = await eventually(async () => {
      try {
        const r = await fetch(`http://127.0.0.2:${node.httpPort}/api/v1/status`);
        return r.status === 200 ? r.status : undefined;
      } catch {
        return undefined;
      }
    }, 30_000, "status on 127.0.0.2");
    expect(st).toBe(200);
    expect(await connects("127.0.0.2", node.wsPort)).toBe(true);
    expect(await connects("127.0.0.1", node.httpPort)).toBe(false);
    expect(await connects("127.0.0.1", node.wsPort)).toBe(false);
    await node.stop();
  }, 200_000);

  for (const which of ["http", "ws"] as const) {
    it(`a busy ${which} port prints the Cannot-listen line with its reason and exits 1`, async () => {
      const port = await freePort();
      const blocker = await occupy(port);
      try {
        const node = await startMesher({ ...(which === "http" ? { httpPort: port } : { wsPort: port }), waitReady: false });
        const exit = await node.exitPromise;
        expect(exit.code).toBe(1);
        expect(node.stdout.lines).toContain(`[Mesher] Cannot listen on :${port}: address already in use`);
        expect(node.stdout.lines.filter((l) => l.startsWith("[Mesher] Cannot listen"))).toHaveLength(1);
      } finally {
        blocker.close();
      }
    }, 200_000);
  }
});
