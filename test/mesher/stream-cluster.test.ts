// Cluster-wide dashboard streams (mesher.md §5.3): two Mesher nodes (real OS processes) form a
// cluster and share one real PostgreSQL database (PGlite nodes share no data, so a project cannot
// exist on both); a dashboard connected to node B receives the event, issue_count and issue
// messages of activity on node A, with its filters applied on B. Runs only when DATABASE_URL
// names a real server (CI starts one); each run uses its own schema.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REAL_DATABASE_URL, RUN_ID, bootstrap, dropRealSchema, eventually, freePort, realDatabaseEnv, startMesher, stopAllMeshers, type Bootstrap, type MesherNode } from "./harness.js";

describe.skipIf(!REAL_DATABASE_URL)("Mesher streams across a two-node cluster on PostgreSQL", () => {
  let a: MesherNode;
  let b: MesherNode;
  let boot: Bootstrap;

  beforeAll(async () => {
    const { MESHER_DATABASE_URL: url } = await realDatabaseEnv("mesher_stream");
    const [pa, pb] = [await freePort(), await freePort()];
    const nameA = `a@127.0.0.1:${pa}`;
    const nameB = `b@127.0.0.1:${pb}`;
    const common = { MESHER_DATABASE_URL: url, MESHER_COOKIE: `cookie-${RUN_ID}`, MESHER_LOAD_INTERVAL_MS: "1000" };
    a = await startMesher({ env: { ...common, MESHER_NODE_NAME: nameA } });
    b = await startMesher({ env: { ...common, MESHER_NODE_NAME: nameB, MESHER_PEERS: nameA } });
    await eventually(async () => (await a.get("/api/v1/status")).json.peers.includes(nameB), 20_000, "A sees B");
    boot = await bootstrap(a);
  }, 180_000);

  afterAll(async () => {
    await stopAllMeshers();
    await dropRealSchema("mesher_stream");
  });

  it("a dashboard on B receives what happens on A, filtered on B", async () => {
    const dash = await b.ws(`/stream/projects/${boot.projectId}`);
    expect(dash.closed).toBeNull();
    dash.send({ filters: { level: "error" } });
    await dash.waitMessage((m) => m.type === "filters_updated", 5000, "filters_updated");

    const warn = await a.ingest(boot.key, { message: "only on A", level: "warning" });
    expect(warn.status, warn.text).toBe(202);
    const err = await a.ingest(boot.key, { message: "seen on B", level: "error", tags: { environment: "prod" } });
    expect(err.status).toBe(202);
    const ev = await dash.waitMessage((m) => m.type === "event", 10_000, "event forwarded from A");
    expect(ev).toEqual({ type: "event", issue_id: err.json.issue_id, event_id: err.json.event_id, data: { message: "seen on B", level: "error", tags: { environment: "prod" } } });
    await dash.waitMessage(() => dash.ofType("issue_count").length >= 2, 10_000, "issue counts from A");
    expect(dash.ofType("issue_count").at(-1)).toEqual({ type: "issue_count", project_id: boot.projectId, count: 2 });

    const r = await a.post(`/api/v1/issues/${warn.json.issue_id}/resolve`);
    expect(r.json).toEqual({ status: "ok", affected: 1 });
    const issue = await dash.waitMessage((m) => m.type === "issue", 10_000, "issue action from A");
    expect(issue).toEqual({ type: "issue", action: "resolved", issue_id: warn.json.issue_id });
    expect(dash.ofType("event")).toHaveLength(1);
    // B reads the same database: its API sees A's issues
    const list = await b.get(`/api/v1/projects/${boot.projectId}/issues`);
    expect(list.json.data.map((i: any) => i.id).sort()).toEqual([warn.json.issue_id, err.json.issue_id].sort());
    dash.close();
  });
});
