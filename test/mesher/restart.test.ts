// The health checker's restart path (mesher.md §6.8), on a real node. The fault is injected (the
// only injected fault in these tests): MESHER_FAULT_FILE names a file whose content makes that
// service's health ping stall past the checker's 2 s bound (mesher/services/faults.mpl).
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bootstrap, eventually, sleep, startMesher, stopAllMeshers, tempDir } from "./harness.js";

afterAll(() => stopAllMeshers());

describe("health check restart", () => {
  it("restarts the pipeline once when a service stops answering; ingestion, dashboards and acknowledged events survive", async () => {
    const fault = path.join(tempDir("mesher-fault-"), "fault");
    const node = await startMesher({ env: { MESHER_HEALTH_INTERVAL_MS: "1000", MESHER_FAULT_FILE: fault } });
    await node.waitLine("[Mesher] Health check: all services responsive", 15_000);
    const p = await bootstrap(node);
    const dash = await node.ws(`/stream/projects/${p.projectId}`);
    const before = await node.ingest(p.key, { message: "before restart" });
    expect(before.status).toBe(202);
    await dash.waitMessage((m) => m.type === "event" && m.event_id === before.json.event_id, 5000, "event before restart");

    fs.writeFileSync(fault, "RateLimiter");
    await node.waitLine("[Mesher] Health check: RateLimiter unresponsive -- restarting pipeline services", 20_000);
    fs.rmSync(fault);
    await node.waitLine("[Mesher] PipelineRegistry started and registered", 20_000, 2);
    await node.waitLine(/^\[Mesher\] Load monitor started/, 20_000, 2);
    // exactly one restart, and the new checker finds everything responsive
    const healthy = node.stdout.lines.filter((l) => l === "[Mesher] Health check: all services responsive").length;
    await node.waitLine("[Mesher] Health check: all services responsive", 15_000, healthy + 1);
    expect(node.stdout.lines.filter((l) => l.includes("unresponsive -- restarting"))).toHaveLength(1);

    // the new pipeline ingests, the dashboard still receives, the load counter started again
    const after = await node.ingest(p.key, { message: "after restart" });
    expect(after.status).toBe(202);
    await dash.waitMessage((m) => m.type === "event" && m.event_id === after.json.event_id, 5000, "event after restart");
    const st = await node.get("/api/v1/status");
    expect(st.json.load_window_count).toBeLessThanOrEqual(1);

    // both acknowledged events are stored, once each
    for (const id of [before.json.event_id, after.json.event_id]) {
      const ev = await eventually(async () => {
        const r = await node.get(`/api/v1/events/${id}`);
        return r.status === 200 ? r : undefined;
      }, 15_000, `event ${id} stored`);
      expect(ev.json.event.id).toBe(id);
    }

    // the old periodic actors stopped: one load-monitor line per 5 s interval, not two
    const count = () => node.stdout.lines.filter((l) => /^\[Mesher\] Load monitor: /.test(l)).length;
    const n0 = count();
    await sleep(10_500);
    expect(count() - n0).toBeLessThanOrEqual(3);
    await node.stop();
  }, 180_000);
});
