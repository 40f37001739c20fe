// The WebSocket side of Mesher (mesher.md §5) against the compiled mesher/ program with real `ws`
// clients: S15 (live stream and filters), subscribe errors, connection paths and 1008 closes, SDK
// ingestion over /ingest, and dashboard backpressure (§5.4). One node serves every test; it runs
// with MESHER_STREAM_DRAIN_MS=4000 so the backpressure test can fill one drain period (the other
// tests just wait for the next drain).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, eventually, sleep, startMesher, stopAllMeshers, type Bootstrap, type MesherNode, type WsClient } from "./harness.js";

const DRAIN_MS = 4000;
let node: MesherNode;
let boot: Bootstrap;

beforeAll(async () => {
  node = await startMesher({ env: { MESHER_STREAM_DRAIN_MS: String(DRAIN_MS) } });
  boot = await bootstrap(node);
}, 200_000);

afterAll(stopAllMeshers);

async function project(name: string): Promise<Bootstrap> {
  return bootstrap(node, { orgId: boot.orgId, projectName: name });
}

async function dashboard(projectId: string, suffix = ""): Promise<WsClient> {
  const c = await node.ws(`/stream/projects/${projectId}${suffix}`);
  expect(c.closed).toBeNull();
  return c;
}

async function subscribe(c: WsClient, msg: unknown): Promise<void> {
  const before = c.ofType("filters_updated").length;
  c.send(msg);
  await c.waitMessage(() => c.ofType("filters_updated").length > before, 5000, "filters_updated");
}

describe("Mesher WebSocket streams", () => {
  it("S15 live stream with a level filter", async () => {
    const p = await project("s15");
    const c = await dashboard(p.projectId);
    c.send({ type: "subscribe", filters: { level: "error" } });
    const ack = await c.waitMessage((m) => m.type === "filters_updated", 5000, "filters_updated");
    expect(ack).toEqual({ type: "filters_updated" });

    const warning = { message: "disk almost full", level: "warning", tags: { environment: "prod" } };
    const error = { message: "disk full", level: "error", tags: { environment: "prod" }, extra: { free: 0, note: "quote \" and ünïcode" }, unknown_field: [1, 2] };
    expect((await node.ingest(p.key, warning)).status).toBe(202);
    const posted = await node.ingest(p.key, error);
    expect(posted.status).toBe(202);

    await c.waitMessage(() => c.ofType("issue_count").length >= 2, 3 * DRAIN_MS, "two issue_count messages");
    await sleep(500);
    const events = c.ofType("event");
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({ type: "event", issue_id: posted.json.issue_id, event_id: posted.json.event_id, data: error });
    const counts = c.ofType("issue_count");
    expect(counts).toHaveLength(2);
    const unresolved = await node.get(`/api/v1/projects/${p.projectId}/issues?status=unresolved`);
    expect(counts[1]).toEqual({ type: "issue_count", project_id: p.projectId, count: unresolved.json.data.length });
    expect(counts[1].count).toBe(2);

    const unknown = await node.ws("/stream/projects/00000000-0000-7000-8000-0000000000ff");
    expect(await unknown.waitClose()).toBe(1008);
    c.close();
  });

  it("filters: environment matches tags.environment, each message replaces both, errors", async () => {
    const p = await project("filters");
    const c = await dashboard(p.projectId, "/extra/segments?ignored=1");
    await subscribe(c, { filters: { environment: "staging" } });
    await node.ingest(p.key, { message: "prod one", tags: { environment: "prod" } });
    const staging = await node.ingest(p.key, { message: "staging one", level: "info", tags: { environment: "staging" } });
    await c.waitMessage((m) => m.type === "event", 3 * DRAIN_MS, "staging event");
    // a new subscribe replaces both filters: {} clears them
    await subscribe(c, { filters: {} });
    const any = await node.ingest(p.key, { message: "no tags at all", level: "debug" });
    await c.waitMessage((m) => m.type === "event" && m.event_id === any.json.event_id, 3 * DRAIN_MS, "unfiltered event");
    expect(c.ofType("event").map((m) => m.event_id)).toEqual([staging.json.event_id, any.json.event_id]);
    await subscribe(c, { filters: { level: "", environment: null } });

    const errs: [string, string][] = [
      ["not json", "invalid subscribe message"],
      ['{"filters":', "invalid subscribe message"],
      ["[1,2]", "filter parse failed"],
      ['"text"', "filter parse failed"],
      ['{"filters":[]}', "filter parse failed"],
      ['{"filters":{"level":5}}', "filter parse failed"],
    ];
    for (const [frame, message] of errs) {
      const before = c.ofType("error").length;
      c.send(frame);
      const got = await c.waitMessage(() => c.ofType("error").length > before, 5000, `error for ${frame}`);
      expect(c.ofType("error").at(-1)).toEqual({ type: "error", message });
      expect(got).toBeTruthy();
    }
    expect(c.closed).toBeNull();
    c.close();
  });

  it("connection paths: unknown paths, bad ids and unknown projects close with 1008; close codes are logged", async () => {
    const rejectedBefore = node.stdout.count("[WS] Connection closed: 1008");
    for (const path of ["/", "/other", "/stream/projects/not-a-uuid", "/stream/projects", "/stream/projects/00000000-0000-7000-8000-000000000000", "/ingest"]) {
      const c = await node.ws(path);
      expect(await c.waitClose(), path).toBe(1008);
    }
    await node.waitLine("[WS] Connection closed: 1008", 5000, rejectedBefore + 6);
    const c = await dashboard(boot.projectId);
    const status = await node.get("/api/v1/status");
    expect(status.json.stream_clients).toBeGreaterThanOrEqual(1);
    const before = node.stdout.count("[WS] Connection closed: 1000");
    c.close();
    await node.waitLine("[WS] Connection closed: 1000", 5000, before + 1);
    const bad = await node.ws("/ingest", { "X-Sentry-Auth": "mshr_bogus" });
    expect(await bad.waitClose()).toBe(1008);
  });

  it("SDK ingestion over /ingest answers with the HTTP body shapes", async () => {
    const p = await project("ws-ingest");
    const dash = await dashboard(p.projectId);
    const sdk = await node.ws("/ingest", { "X-Sentry-Auth": p.key });
    expect(sdk.closed).toBeNull();
    sdk.send({ message: "over websocket", level: "warning" });
    const ok = await sdk.waitMessage((m) => m.status === "accepted", 10_000, "accepted frame");
    expect(ok.event_id).toMatch(/^[0-9a-f-]{36}$/);
    sdk.send({ level: "error" });
    const bad = await sdk.waitMessage((m) => typeof m.error === "string", 10_000, "error frame");
    expect(bad).toEqual({ error: "missing required field: message" });
    const ev = await dash.waitMessage((m) => m.type === "event", 3 * DRAIN_MS, "event from ws ingestion");
    expect(ev).toEqual({ type: "event", issue_id: ok.issue_id, event_id: ok.event_id, data: { message: "over websocket", level: "warning" } });
    const bearer = await node.ws("/ingest", { Authorization: `Bearer ${p.key}` });
    expect(bearer.closed).toBeNull();
    const errorsBefore = sdk.messages.filter((m) => typeof m.error === "string").length;
    sdk.send('{"message":');
    await sdk.waitMessage(() => sdk.messages.filter((m) => typeof m.error === "string").length > errorsBefore, 10_000, "invalid json frame");
    expect(sdk.messages.at(-1)).toEqual({ error: "invalid json" });
    // revocation takes effect at once, also on an open connection
    expect((await node.post(`/api/v1/api-keys/${p.keyId}/revoke`)).json).toEqual({ status: "ok", affected: 1 });
    sdk.send({ message: "after revoke" });
    await sdk.waitMessage((m) => m.error === "unauthorized", 10_000, "unauthorized frame");
    sdk.close();
    bearer.close();
    dash.close();
  });

  it("backpressure: a dashboard queue keeps the newest 100 messages of a drain period (§5.4)", async () => {
    const p = await project("backpressure");
    const c = await dashboard(p.projectId);
    // find a drain tick, then produce 200 messages (100 events x event + issue_count) before the next
    const probe = await node.ingest(p.key, { message: "probe" });
    expect(probe.status).toBe(202);
    await c.waitMessage((m) => m.type === "event", 3 * DRAIN_MS, "probe event");
    await sleep(100);
    const seenBefore = c.messages.length;
    const batch = Array.from({ length: 100 }, (_, i) => ({ message: `bp ${i}` }));
    const bulk = await node.post("/api/v1/events/bulk", batch, { "X-Sentry-Auth": p.key });
    expect(bulk.status, bulk.text).toBe(202);
    // the newest message (the last issue_count) is never dropped
    await c.waitMessage((m) => m.type === "issue_count" && m.count === 101, 3 * DRAIN_MS, "last issue_count");
    await sleep(DRAIN_MS + 500);
    const batchMsgs = c.messages.slice(seenBefore);
    const times = c.times.slice(seenBefore);
    // one drain sends a burst; split bursts at gaps of half a drain period
    const bursts: any[][] = [[]];
    for (let i = 0; i < batchMsgs.length; i++) {
      if (i > 0 && times[i] - times[i - 1] > DRAIN_MS / 2) bursts.push([]);
      bursts.at(-1)!.push(batchMsgs[i]);
    }
    for (const b of bursts) expect(b.length).toBeLessThanOrEqual(100);
    expect(batchMsgs.length).toBeLessThanOrEqual(200);
    expect(batchMsgs.at(-1)).toEqual({ type: "issue_count", project_id: p.projectId, count: 101 });
    const events = batchMsgs.filter((m) => m.type === "event").map((m) => Number(m.data.message.slice(3)));
    expect(events).toEqual([...events].sort((x, y) => x - y)); // FIFO
    if (bursts.length === 1) {
      // all 200 messages were queued within one drain period: exactly the newest 100 arrive
      expect(batchMsgs).toHaveLength(100);
      expect(events).toEqual(Array.from({ length: 50 }, (_, i) => i + 50));
      expect(batchMsgs[0].type).toBe("event");
    }
    c.close();
  });

  it("stream_clients in /api/v1/status counts connected dashboards", async () => {
    const a = await dashboard(boot.projectId);
    const b = await dashboard(boot.projectId);
    const n = (await node.get("/api/v1/status")).json.stream_clients;
    a.close();
    b.close();
    await eventually(async () => (await node.get("/api/v1/status")).json.stream_clients === n - 2, 5000, "clients removed");
  });
});
