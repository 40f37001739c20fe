// Mesher ingestion acceptance scenarios (mesher.md §8: S1-S8, S11, S19, S22 buffer-full) against the
// compiled mesher/ program, as real OS processes on PGlite, with real HTTP and WebSocket clients.
// Nodes with special settings are started in parallel in beforeAll (PGlite start is slow).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { bootstrap, buildMesher, eventually, sleep, startMesher, stopAllMeshers, tempDir, type Bootstrap, type MesherNode } from "./harness.js";

let main: MesherNode; // common setup of §8
let limited: MesherNode; // S7: MESHER_RATE_LIMIT_MAX=5, MESHER_RATE_LIMIT_WINDOW_S=3
let small: MesherNode; // S22 (PGlite part): MESHER_WRITER_MAX_BUFFER=5, MESHER_WRITER_FLUSH_MS=60000
let bare: MesherNode; // S1: no environment at all
let bareCwd: string;
let boot: Bootstrap;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "0.0.0.0", () => srv.close(() => resolve(true)));
  });
}

beforeAll(async () => {
  await buildMesher();
  [main, limited, small] = await Promise.all([
    startMesher({ readyTimeoutMs: 150_000 }),
    startMesher({ env: { MESHER_RATE_LIMIT_MAX: "5", MESHER_RATE_LIMIT_WINDOW_S: "3", MESHER_LOAD_THRESHOLD: "3" }, readyTimeoutMs: 150_000 }),
    startMesher({ env: { MESHER_WRITER_MAX_BUFFER: "5", MESHER_WRITER_FLUSH_MS: "60000" }, readyTimeoutMs: 150_000 }),
  ]);
  boot = await bootstrap(main);
}, 240_000);


afterAll(async () => {
  await stopAllMeshers();
}, 60_000);

const S2_BODY = { message: "DB timeout", level: "error", tags: { environment: "prod" } };

async function issues(node: MesherNode, projectId: string): Promise<any[]> {
  const r = await node.get(`/api/v1/projects/${projectId}/issues?limit=100`);
  expect(r.status).toBe(200);
  return r.json.data;
}

describe("ingestion on one node (common setup)", () => {
  let issueI = "";
  let event1 = "";

  it("S2 first event creates an issue", async () => {
    const r = await main.ingest(boot.key, S2_BODY);
    expect(r.status).toBe(202);
    expect(r.json.status).toBe("accepted");
    expect(r.json.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    issueI = r.json.issue_id;
    event1 = r.json.event_id;
    const list = await issues(main, boot.projectId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: issueI, title: "DB timeout", status: "unresolved", event_count: 1, fingerprint: "msg:db timeout", assigned_to: null });
  });

  it("S3 the same event groups (Authorization header), events listed newest first", async () => {
    const r = await main.post("/api/v1/events", S2_BODY, { Authorization: boot.key });
    expect(r.status).toBe(202);
    expect(r.json.issue_id).toBe(issueI);
    const list = await issues(main, boot.projectId);
    expect(list).toHaveLength(1);
    expect(list[0].event_count).toBe(2);
    expect(list[0].last_seen > list[0].first_seen).toBe(true);
    const evs = await eventually(async () => {
      const e = await main.get(`/api/v1/issues/${issueI}/events`);
      return e.status === 200 && e.json.data.length === 2 ? e.json.data : null;
    }, 5000, "both events stored");
    expect(evs.map((e: any) => e.id)).toEqual([r.json.event_id, event1]);
  });

  it("S4 auth failures, second key, revocation at once, load counted before auth", async () => {
    const none = await main.post("/api/v1/events", S2_BODY);
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: "unauthorized" });
    expect((await main.ingest("mshr_bogus", S2_BODY)).status).toBe(401);
    // X-Sentry-Auth wins even when wrong: Authorization is not consulted
    expect((await main.post("/api/v1/events", S2_BODY, { "X-Sentry-Auth": "mshr_bogus", Authorization: boot.key })).status).toBe(401);
    // Bearer prefix accepted
    expect((await main.post("/api/v1/events", S2_BODY, { Authorization: `Bearer ${boot.key}` })).status).toBe(202);
    const k2 = await main.post(`/api/v1/projects/${boot.projectId}/api-keys`, { label: "second" });
    expect(k2.status).toBe(201);
    expect((await main.ingest(k2.json.key_value, { message: "via k2" })).status).toBe(202);
    const rev = await main.post(`/api/v1/api-keys/${k2.json.id}/revoke`);
    expect(rev.json).toEqual({ status: "ok", affected: 1 });
    expect((await main.ingest(k2.json.key_value, { message: "via k2" })).status).toBe(401);
    expect((await main.ingest(boot.key, { message: "via k" })).status).toBe(202);
    expect((await main.post(`/api/v1/api-keys/${k2.json.id}/revoke`)).json).toEqual({ status: "ok", affected: 0 });
    const keys = await main.get(`/api/v1/projects/${boot.projectId}/api-keys`);
    const revoked = keys.json.find((k: any) => k.id === k2.json.id);
    expect(revoked.revoked_at).not.toBeNull();
    // requests that fail authentication still count: a burst of 7 unauthorized requests shows up
    // in one of the next load-monitor lines
    const before = main.stdout.lines.length;
    await Promise.all(Array.from({ length: 7 }, () => main.ingest("mshr_nope", S2_BODY)));
    await main.stdout.waitFor(
      (ls) => ls.slice(before).some((l) => /^\[Mesher\] Load monitor: (\d+) events\/5s, 0 peers$/.test(l) && Number(/: (\d+) events/.exec(l)![1]) >= 7),
      12_000,
      "a load-monitor line counting the unauthorized burst",
      () => !main.alive,
    );
  });

  it("S5 validation errors are 400 and create nothing", async () => {
    const before = (await issues(main, boot.projectId)).length;
    const bad = async (body: string | object) => main.post("/api/v1/events", body, { "X-Sentry-Auth": boot.key });
    expect((await bad('{"message":')).json).toEqual({ error: "invalid json" });
    expect((await bad({ level: "error" })).json).toEqual({ error: "missing required field: message" });
    const lvl = await bad({ message: "x", level: "critical" });
    expect(lvl.status).toBe(400);
    expect(lvl.json).toEqual({ error: "invalid level: must be fatal, error, warning, info, or debug" });
    const big = await bad(JSON.stringify({ message: "x", extra: { pad: "a".repeat(1048577 - 30) } }).padEnd(1048577, " "));
    expect(big.status).toBe(400);
    expect(big.json).toEqual({ error: "payload too large" });
    expect((await bad("[1,2]")).json).toEqual({ error: "event must be a JSON object" });
    expect((await bad({ message: 5 })).json).toEqual({ error: "invalid field: message" });
    expect((await bad({ message: "x", tags: { a: 1 } })).json).toEqual({ error: "invalid field: tags" });
    expect((await bad({ message: "x", stacktrace: [{ lineno: "ten" }] })).json).toEqual({ error: "invalid field: stacktrace" });
    expect((await bad({ message: "x", exception: "boom" })).json).toEqual({ error: "invalid field: exception" });
    expect((await bad({ message: "" })).json).toEqual({ error: "missing required field: message" });
    // NUL cannot be stored by PostgreSQL: refused up front instead of acknowledged and lost
    expect((await bad({ message: "a\u0000b" })).json).toEqual({ error: "invalid field: message" });
    expect((await bad({ message: "x", extra: { k: "\u0000" } })).json).toEqual({ error: "invalid field: extra" });
    // invalid UTF-8
    expect((await bad(Buffer.from([0x7b, 0x22, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).json).toEqual({ error: "invalid json" });
    expect((await bad("   ")).json).toEqual({ error: "missing required field: message" });
    expect((await issues(main, boot.projectId)).length).toBe(before);
  });

  it("S6 fingerprints: stack frames, 0x normalisation, custom, exception", async () => {
    const frames = (a: number, b: number) => [
      { filename: "app.js", function_name: "handler", lineno: a },
      { filename: "lib.js", function_name: "parse", lineno: b },
    ];
    const a = await main.ingest(boot.key, { message: "Unexpected token", stacktrace: frames(10, 3) });
    const b = await main.ingest(boot.key, { message: "Unexpected token", stacktrace: frames(99, 7) });
    expect(a.json.issue_id).toBe(b.json.issue_id);
    const c = await main.ingest(boot.key, { message: "Bad ptr 0xDEADbeef" });
    const d = await main.ingest(boot.key, { message: "bad ptr DEADBEEF" });
    expect(c.json.issue_id).toBe(d.json.issue_id);
    const e = await main.ingest(boot.key, { message: "one", fingerprint: "checkout" });
    const f = await main.ingest(boot.key, { message: "two", fingerprint: "checkout" });
    expect(e.json.issue_id).toBe(f.json.issue_id);
    const g = await main.ingest(boot.key, { message: "boom", exception: { type_name: "TypeError", value: "a" } });
    const byId = new Map((await issues(main, boot.projectId)).map((i: any) => [i.id, i]));
    expect(byId.get(a.json.issue_id).fingerprint).toBe("app.js|handler;lib.js|parse:unexpected token");
    expect(byId.get(c.json.issue_id).fingerprint).toBe("msg:bad ptr deadbeef");
    expect(byId.get(e.json.issue_id).fingerprint).toBe("checkout");
    expect(byId.get(e.json.issue_id).event_count).toBe(2);
    expect(byId.get(g.json.issue_id).fingerprint).toBe("TypeError:a");
    // the length cap keeps very long fingerprints within the index
    const long = await main.ingest(boot.key, { message: "x", fingerprint: "f".repeat(5000) });
    expect(long.status).toBe(202);
    const capped = (await issues(main, boot.projectId)).find((i: any) => i.id === long.json.issue_id);
    expect(capped.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("S8 sampling and settings", async () => {
    const p2 = await main.post(`/api/v1/orgs/${boot.orgId}/projects`, { name: "sampled" });
    const k = await main.post(`/api/v1/projects/${p2.json.id}/api-keys`, {});
    const set = await main.post(`/api/v1/projects/${p2.json.id}/settings`, { sample_rate: 0 });
    expect(set.json).toEqual({ status: "ok", affected: 1 });
    expect((await main.get(`/api/v1/projects/${p2.json.id}/settings`)).json).toEqual({ retention_days: 90, sample_rate: 0 });
    for (let i = 0; i < 10; i++) {
      const r = await main.ingest(k.json.key_value, { message: `sampled ${i}` });
      expect(r.status).toBe(202);
      expect(r.json).toEqual({ status: "accepted", sampled: false });
    }
    expect(await issues(main, p2.json.id)).toEqual([]);
    expect((await main.post(`/api/v1/projects/${p2.json.id}/settings`, { retention_days: 0 })).status).toBe(400);
    // validation still comes first for sampled-out projects (§1.4 [Δ])
    expect((await main.ingest(k.json.key_value, { level: "error" })).status).toBe(400);
  });

  it("S19 bulk: per-element results, limits, all-or-nothing validation", async () => {
    const ok = await main.post("/api/v1/events/bulk", [{ message: "bulk a" }, { message: "bulk b" }, { message: "bulk a" }], { "X-Sentry-Auth": boot.key });
    expect(ok.status).toBe(202);
    expect(ok.json.status).toBe("accepted");
    expect(ok.json.results).toHaveLength(3);
    expect(ok.json.results[0].issue_id).toBe(ok.json.results[2].issue_id);
    expect(new Set(ok.json.results.map((r: any) => r.event_id)).size).toBe(3);
    const before = (await issues(main, boot.projectId)).length;
    const many = await main.post("/api/v1/events/bulk", Array.from({ length: 101 }, (_, i) => ({ message: `m${i}` })), { "X-Sentry-Auth": boot.key });
    expect(many.json).toEqual({ error: "too many events in bulk request (max 100)" });
    const mixed = await main.post("/api/v1/events/bulk", [{ message: "a new one" }, { level: "x" }], { "X-Sentry-Auth": boot.key });
    expect(mixed.status).toBe(400);
    expect(mixed.json).toEqual({ error: "event[1]: missing required field: message" });
    expect((await main.post("/api/v1/events/bulk", [], { "X-Sentry-Auth": boot.key })).json).toEqual({ error: "empty bulk request" });
    expect((await main.post("/api/v1/events/bulk", { message: "x" }, { "X-Sentry-Auth": boot.key })).json).toEqual({ error: "bulk body must be a JSON array" });
    expect((await main.post("/api/v1/events/bulk", [{ message: "x" }])).status).toBe(401);
    expect((await issues(main, boot.projectId)).length).toBe(before);
  });

  it("S11 discard: later events are dropped silently, no count change, no broadcast", async () => {
    const dash = await main.ws(`/stream/projects/${boot.projectId}`);
    expect(dash.closed).toBeNull();
    const d = await main.post(`/api/v1/issues/${issueI}/discard`);
    expect(d.json).toEqual({ status: "ok", affected: 1 });
    const count = (await issues(main, boot.projectId)).find((i: any) => i.id === issueI).event_count;
    const r = await main.ingest(boot.key, S2_BODY);
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ status: "accepted", discarded: true });
    const after = (await issues(main, boot.projectId)).find((i: any) => i.id === issueI);
    expect(after.event_count).toBe(count);
    expect(after.status).toBe("discarded");
    // a stored event afterwards proves the dashboard is live; the discarded one never arrived
    const live = await main.ingest(boot.key, { message: "after discard" });
    await dash.waitMessage((m) => m.type === "event" && m.event_id === live.json.event_id, 5000, "event after discard");
    expect(dash.ofType("event").filter((m) => m.issue_id === issueI)).toEqual([]);
    dash.close();
  });

  it("stores payload strings byte for byte (quotes, unicode, SQL-looking text)", async () => {
    const msg = `'; DROP TABLE events; -- "quoted" \\ back \u00e9\u{1F600}\n\ttab`;
    const r = await main.ingest(boot.key, { message: msg, tags: { "k'\"": "v\"'" }, extra: { nested: [1, "two", null] } });
    expect(r.status).toBe(202);
    const ev = await eventually(async () => {
      const e = await main.get(`/api/v1/events/${r.json.event_id}`);
      return e.status === 200 ? e.json.event : null;
    }, 5000, "stored event");
    expect(ev.message).toBe(msg);
    expect(ev.tags).toEqual({ "k'\"": "v\"'" });
    expect(ev.extra).toEqual({ nested: [1, "two", null] });
  });
});

describe("S7 rate limit (max 5 per 3 s window), standalone load", () => {
  it("refuses the 6th event with 429 and Retry-After, per project, until the window resets", async () => {
    const a = await bootstrap(limited);
    const b = await bootstrap(limited, { orgId: a.orgId, projectName: "other" });
    // validation failures do not consume units
    expect((await limited.ingest(a.key, { level: "error" })).status).toBe(400);
    // The window is aligned to the node's start; find a window boundary first: use up the budget,
    // then poll until events are accepted again, which happens right after a reset.
    // (a reset may fall inside the burn, so at most two windows' worth are accepted)
    let burned = 0;
    while ((await limited.ingest(a.key, { message: "burn" })).status === 202) burned++;
    expect(burned).toBeLessThanOrEqual(10);
    await eventually(async () => (await limited.ingest(a.key, { message: "r0" })).status === 202, 5000, "a new window", 50);
    for (let i = 1; i < 5; i++) expect((await limited.ingest(a.key, { message: `r${i}` })).status).toBe(202);
    const sixth = await limited.ingest(a.key, { message: "r5" });
    expect(sixth.status).toBe(429);
    expect(sixth.json).toEqual({ error: "rate limited" });
    expect(sixth.headers.get("retry-after")).toBe("3");
    expect((await limited.ingest(b.key, { message: "other project" })).status).toBe(202);
    // a bulk request that does not fit uses no units
    expect((await limited.post("/api/v1/events/bulk", Array.from({ length: 5 }, (_, i) => ({ message: `b${i}` })), { "X-Sentry-Auth": b.key })).status).toBe(429);
    await sleep(3500);
    expect((await limited.ingest(a.key, { message: "after window" })).status).toBe(202);
    expect((await limited.post("/api/v1/events/bulk", Array.from({ length: 4 }, (_, i) => ({ message: `b${i}` })), { "X-Sentry-Auth": b.key })).status).toBe(202);
    // a standalone node never spawns, however high the load (threshold 3 here, §7.4)
    await limited.waitLine(/^\[Mesher\] Load monitor: ([4-9]|\d\d+) events\/5s, 0 peers$/, 12_000);
    expect(limited.stdout.lines.some((l) => l.startsWith("[Mesher] Load high"))).toBe(false);
  });
});

describe("S22 (PGlite part) writer capacity", () => {
  it("refuses with 503 ingestion buffer full instead of evicting", async () => {
    const p = await bootstrap(small);
    for (let i = 0; i < 5; i++) expect((await small.ingest(p.key, { message: `held ${i}` })).status).toBe(202);
    const sixth = await small.ingest(p.key, { message: "held 5" });
    expect(sixth.status).toBe(503);
    expect(sixth.json).toEqual({ error: "ingestion buffer full" });
    expect(sixth.headers.get("retry-after")).toBe("5");
    const st = await small.get("/api/v1/status");
    expect(st.json.writer).toMatchObject({ buffered: 5, journal_pending: 5, rejected_buffer_full_total: 1, dropped_total: 0 });
    await small.waitLine(`[StorageWriter] Buffer full for project ${p.projectId} (5 events) -- rejecting new events`, 2000);
  });
});

describe("S1 out-of-the-box startup", () => {
  it("starts on the embedded database with no configuration and reports standalone/embedded", async () => {
    bareCwd = tempDir("mesher-s1-");
    // PATH/HOME only. The harness always exports the two port variables; with 8080/8081 that is the
    // default itself, and only when another program holds them are other ports used (the printed
    // port is then checked against the effective one).
    const defaultsFree = (await portFree(8080)) && (await portFree(8081));
    bare = await startMesher(
      defaultsFree
        ? { bareEnv: true, cwd: bareCwd, httpPort: 8080, wsPort: 8081, readyTimeoutMs: 200_000 }
        : { bareEnv: true, cwd: bareCwd, readyTimeoutMs: 200_000 },
    );
    const port = bare.httpPort;
    for (const line of [
      "[Mesher] Using embedded PostgreSQL (PGlite) at ./mesher-data/pglite",
      "[Mesher] Schema created/verified",
      "[Mesher] Partitions created (7 days ahead)",
      "[Mesher] Running in standalone mode (no distribution)",
      "[Mesher] Foundation ready",
      `[Mesher] HTTP server starting on :${port}`,
    ]) {
      expect(bare.stdout.lines).toContain(line);
    }
    await bare.waitLine("[Mesher] Load monitor: 0 events/5s, 0 peers", 15_000);
    const st = await bare.get("/api/v1/status");
    expect(st.status).toBe(200);
    expect(st.json).toMatchObject({ status: "ok", mode: "standalone", database: "embedded", node: null, peers: [] });
    // the data directory is where the line says
    expect(fs.existsSync(path.join(bareCwd, "mesher-data", "pglite"))).toBe(true);
    // startup order of §1.5 (step 6 lines in order)
    const order = [
      "[Mesher] Connecting to PostgreSQL...",
      "[Mesher] Schema created/verified",
      "[Mesher] Partitions created (7 days ahead)",
      "[Mesher] OrgService started",
      "[Mesher] ProjectService started",
      "[Mesher] UserService started",
      "[Mesher] StreamManager started",
      "[Mesher] StreamManager drain ticker started (250ms interval)",
      "[Mesher] RateLimiter started (60s window, 1000 max)",
      "[Mesher] EventProcessor started",
      "[Mesher] StorageWriter directory started",
      "[Mesher] Running in standalone mode (skipping global registration)",
      "[Mesher] PipelineRegistry started and registered",
      "[Mesher] Health checker started (10s interval)",
      "[Mesher] Spike checker started (5 min interval)",
      "[Mesher] Alert evaluator started (30s interval)",
      "[Mesher] Retention cleaner started (24h interval)",
      "[Mesher] Load monitor started (5s interval, threshold: 100 events)",
      "[Mesher] Foundation ready",
      `[Mesher] WebSocket server starting on :${bare.wsPort}`,
      `[Mesher] HTTP server starting on :${port}`,
    ];
    const idx = order.map((l) => bare.stdout.lines.indexOf(l));
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  }, 240_000);
});
