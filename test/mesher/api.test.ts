// Acceptance scenarios S9, S10, S12, S13, S14, S16, S17 and S18 of mesher.md §8 against the
// compiled mesher/ program: one real node (PGlite in memory, temp journal, 200 ms flushes), real
// HTTP requests and real WebSocket dashboards. The node is shared by the scenarios to keep the
// wall time low; every scenario works in its own project, so their states never mix. The node
// runs with MESHER_SPIKE_INTERVAL_MS=1000 and MESHER_ALERT_INTERVAL_MS=1000, the settings S10 and
// S17 ask for (they only act on archived issues and threshold rules, which only S10/S17 create).
// With DATABASE_URL set the same scenarios run a second time on a real PostgreSQL, so the API's
// SQL and its text output are checked on both back-ends (§3.6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, bootstrap, dropRealSchema, eventually, sleep, startMesher, stopAllMeshers, type Bootstrap, type MesherNode } from "./harness.js";

let node: MesherNode;
let boot: Bootstrap;

const S2_BODY = { message: "DB timeout", level: "error", tags: { environment: "prod" } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/;

const BACKENDS = backends("mesher_api");

afterAll(async () => {
  await stopAllMeshers();
  await dropRealSchema("mesher_api");
});

/** A fresh project with its own key in the bootstrap org. */
async function project(name: string): Promise<Bootstrap> {
  return bootstrap(node, { orgId: boot.orgId, projectName: name });
}

async function ingest(key: string, body: unknown): Promise<{ event_id: string; issue_id: string }> {
  const r = await node.ingest(key, body);
  expect(r.status, r.text).toBe(202);
  expect(r.json.status).toBe("accepted");
  return r.json;
}

async function issue(projectId: string, issueId: string): Promise<any> {
  const r = await node.get(`/api/v1/projects/${projectId}/issues?limit=100`);
  expect(r.status).toBe(200);
  return r.json.data.find((i: any) => i.id === issueId);
}

/** Waits until the issue's events endpoint lists `n` events (the writer flushes every 200 ms). */
async function storedEvents(issueId: string, n: number): Promise<any[]> {
  return eventually(async () => {
    const r = await node.get(`/api/v1/issues/${issueId}/events?limit=100`);
    return r.status === 200 && r.json.data.length >= n ? r.json.data : null;
  }, 10_000, `${n} stored events of issue ${issueId}`);
}

for (const [backend, backendEnv] of BACKENDS) describe(`Mesher HTTP API scenarios (${backend})`, () => {
  beforeAll(async () => {
    const env = { ...(await backendEnv()), MESHER_SPIKE_INTERVAL_MS: "1000", MESHER_ALERT_INTERVAL_MS: "1000" };
    node = await startMesher({ env });
    boot = await bootstrap(node, { slug: "acme" });
  }, 200_000);

  afterAll(() => node?.stop());

  it("S9 resolve and regression: regressed broadcast and a regression alert", async () => {
    const p = await project("s9");
    const rule = await node.post(`/api/v1/projects/${p.projectId}/alert-rules`, { name: "reg", condition: { condition_type: "regression" } });
    expect(rule.status, rule.text).toBe(201);
    expect(rule.json.id).toMatch(UUID);
    const first = await ingest(p.key, S2_BODY);
    const dash = await node.ws(`/stream/projects/${p.projectId}`);
    expect(dash.closed).toBeNull();

    const r1 = await node.post(`/api/v1/issues/${first.issue_id}/resolve`);
    expect([r1.status, r1.json]).toEqual([200, { status: "ok", affected: 1 }]);
    const r2 = await node.post(`/api/v1/issues/${first.issue_id}/resolve`);
    expect([r2.status, r2.json]).toEqual([200, { status: "ok", affected: 0 }]);
    await dash.waitMessage((m) => m.type === "issue" && m.action === "resolved", 5000, "resolved broadcast");

    const again = await ingest(p.key, S2_BODY);
    expect(again.issue_id).toBe(first.issue_id);
    const now = await issue(p.projectId, first.issue_id);
    expect(now.status).toBe("unresolved");
    expect(now.event_count).toBe(2);

    const regressed = await dash.waitMessage((m) => m.type === "issue" && m.action === "regressed", 5000, "regressed");
    expect(regressed).toEqual({ type: "issue", action: "regressed", issue_id: first.issue_id });
    const alert = await dash.waitMessage((m) => m.type === "alert", 5000, "regression alert");
    expect(alert).toMatchObject({ type: "alert", condition: "regression", rule_name: "reg", message: `regression detected for issue ${first.issue_id}` });
    expect(alert.alert_id).toMatch(UUID);
    const alerts = await node.get(`/api/v1/projects/${p.projectId}/alerts`);
    expect(alerts.json.map((a: any) => a.id)).toEqual([alert.alert_id]);
    dash.close();
  });

  it("S10 archive and spike: 11 events in an hour escalate, 9 do not", async () => {
    const p = await project("s10");
    const dash = await node.ws(`/stream/projects/${p.projectId}`);
    const j = await ingest(p.key, { message: "spike me" });
    const l = await ingest(p.key, { message: "calm control" });
    for (const id of [j.issue_id, l.issue_id]) {
      const a = await node.post(`/api/v1/issues/${id}/archive`);
      expect([a.status, a.json]).toEqual([200, { status: "ok", affected: 1 }]);
    }
    for (let i = 0; i < 10; i++) expect((await ingest(p.key, { message: "spike me" })).issue_id).toBe(j.issue_id);
    for (let i = 0; i < 8; i++) expect((await ingest(p.key, { message: "calm control" })).issue_id).toBe(l.issue_id);
    // (the checker runs every second, so J may already be escalated here; it needs 11 events)
    await node.waitLine("[Mesher] Spike checker: escalated 1 archived issues", 8000);
    await eventually(async () => (await issue(p.projectId, j.issue_id)).status === "unresolved", 5000, "J unresolved");
    const esc = await dash.waitMessage((m) => m.type === "issue" && m.action === "escalated", 5000, "escalated");
    expect(esc.issue_id).toBe(j.issue_id);
    expect((await issue(p.projectId, j.issue_id)).event_count).toBe(11);
    // two more spike-checker ticks: L (9 events) stays archived and is never escalated
    await sleep(2500);
    const lNow = await issue(p.projectId, l.issue_id);
    expect([lNow.status, lNow.event_count]).toEqual(["archived", 9]);
    expect(dash.messages.filter((m) => m.type === "issue" && m.action === "escalated" && m.issue_id === l.issue_id)).toEqual([]);
    dash.close();
  });

  it("S12 event detail and navigation", async () => {
    const p = await project("s12");
    const e1 = await ingest(p.key, { message: "nav", tags: { environment: "prod", "quote\"key": "ü\n" }, extra: { n: 1, deep: [1, { a: null }] } });
    const e2 = await ingest(p.key, { message: "nav", exception: { value: "v", module_name: "m" } });
    const e3 = await ingest(p.key, { message: "nav" });
    expect(new Set([e1.issue_id, e2.issue_id, e3.issue_id]).size).toBe(1);
    await storedEvents(e1.issue_id, 3);

    const d2 = await node.get(`/api/v1/events/${e2.event_id}`);
    expect(d2.status).toBe(200);
    expect(d2.json.navigation).toEqual({ next_id: e3.event_id, prev_id: e1.event_id });
    expect(d2.json.event).toMatchObject({ id: e2.event_id, project_id: p.projectId, issue_id: e2.issue_id, level: "error", message: "nav", fingerprint: "msg:nav" });
    expect(d2.json.event.exception).toEqual({ value: "v", module_name: "m" });
    const d1 = await node.get(`/api/v1/events/${e1.event_id}`);
    expect(d1.json.navigation).toEqual({ next_id: e2.event_id, prev_id: null });
    expect(d1.json.event.tags).toEqual({ environment: "prod", "quote\"key": "ü\n" });
    expect(d1.json.event.extra).toEqual({ n: 1, deep: [1, { a: null }] });
    expect(d1.json.event).toMatchObject({ exception: null, stacktrace: [], breadcrumbs: [], user_context: null, sdk_name: "", sdk_version: "" });
    expect(d1.json.event.received_at).toMatch(TS);
    const d3 = await node.get(`/api/v1/events/${e3.event_id}`);
    expect(d3.json.navigation).toEqual({ next_id: null, prev_id: e2.event_id });

    const unknown = await node.get("/api/v1/events/00000000-0000-7000-8000-000000000000");
    expect([unknown.status, unknown.json]).toEqual([404, { error: "event not found" }]);
    const bad = await node.get("/api/v1/events/not-a-uuid");
    expect([bad.status, bad.json]).toEqual([400, { error: "invalid event_id" }]);
  });

  it("S13 keyset pagination returns every issue exactly once", async () => {
    const p = await project("s13");
    const created = new Set<string>();
    for (let i = 0; i < 30; i += 6) {
      const batch = await Promise.all([0, 1, 2, 3, 4, 5].map((k) => ingest(p.key, { message: `paged issue ${i + k}` })));
      for (const b of batch) created.add(b.issue_id);
    }
    expect(created.size).toBe(30);

    const first = await node.get(`/api/v1/projects/${p.projectId}/issues?limit=10`);
    expect(first.status).toBe(200);
    expect(first.json.data).toHaveLength(10);
    expect(first.json.has_more).toBe(true);
    expect(first.json.next_cursor).toMatch(TS);
    expect(first.json.next_cursor_id).toMatch(UUID);

    const seen: string[] = [];
    let page = first.json;
    let pages = 1;
    for (;;) {
      seen.push(...page.data.map((i: any) => i.id));
      const lastRows = page.data;
      for (let k = 1; k < lastRows.length; k++) {
        const [a, b] = [lastRows[k - 1], lastRows[k]];
        expect(a.last_seen > b.last_seen || (a.last_seen === b.last_seen && a.id > b.id)).toBe(true);
      }
      if (!page.has_more) {
        expect(page.next_cursor).toBeUndefined();
        break;
      }
      const q = `limit=10&cursor=${encodeURIComponent(page.next_cursor)}&cursor_id=${page.next_cursor_id}`;
      const r = await node.get(`/api/v1/projects/${p.projectId}/issues?${q}`);
      expect(r.status, r.text).toBe(200);
      page = r.json;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(30);
    expect(new Set(seen)).toEqual(created);

    const big = await node.get(`/api/v1/projects/${p.projectId}/issues?limit=500`);
    expect(big.json.data).toHaveLength(25);
    expect(big.json.has_more).toBe(true);
    const noId = await node.get(`/api/v1/projects/${p.projectId}/issues?cursor=${encodeURIComponent(first.json.next_cursor)}`);
    expect([noId.status, noId.json]).toEqual([400, { error: "cursor_id required with cursor" }]);
  });

  it("S14 search, tags and dashboards", async () => {
    const p = await project("s14");
    const ev = await ingest(p.key, S2_BODY);
    await ingest(p.key, { message: "cache miss", level: "warning", tags: { environment: "staging" } });
    await ingest(p.key, { message: "no env here", level: "info" });
    await storedEvents(ev.issue_id, 1);
    const base = `/api/v1/projects/${p.projectId}`;
    const hits = await eventually(async () => {
      const r = await node.get(`${base}/events/search?q=timeout`);
      return r.status === 200 && r.json.length > 0 ? r.json : null;
    }, 5000, "search hit");
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ id: ev.event_id, issue_id: ev.issue_id, level: "error", message: "DB timeout" });
    expect(Object.keys(hits[0]).sort()).toEqual(["id", "issue_id", "level", "message", "received_at"]);
    const noQ = await node.get(`${base}/events/search`);
    expect([noQ.status, noQ.json]).toEqual([400, { error: "missing search query" }]);

    await eventually(async () => (await node.get(`${base}/storage`)).json.event_count === 3, 5000, "3 stored events");
    const tagged = await node.get(`${base}/events/tags?key=environment&value=prod`);
    expect(tagged.status).toBe(200);
    expect(tagged.json.map((e: any) => e.id)).toEqual([ev.event_id]);
    expect(tagged.json[0].tags.environment).toBe("prod");
    const noVal = await node.get(`${base}/events/tags?key=environment`);
    expect([noVal.status, noVal.json]).toEqual([400, { error: "missing key or value parameter" }]);

    const levels = await node.get(`${base}/dashboard/levels`);
    expect(levels.json).toEqual([
      { level: "error", count: 1 },
      { level: "info", count: 1 },
      { level: "warning", count: 1 },
    ]);
    const tags = await node.get(`${base}/dashboard/tags?key=environment`);
    expect(tags.json).toEqual([
      { value: "prod", count: 1 },
      { value: "staging", count: 1 },
    ]);
    const noKey = await node.get(`${base}/dashboard/tags`);
    expect([noKey.status, noKey.json]).toEqual([400, { error: "missing key parameter" }]);

    const unresolved = await node.get(`${base}/issues?status=unresolved`);
    const health = await node.get(`${base}/dashboard/health`);
    expect(health.json).toEqual({ unresolved_count: unresolved.json.data.length, events_24h: 3, new_today: 3 });
    expect(unresolved.json.data.length).toBe(3);
    const unknownHealth = await node.get(`/api/v1/projects/00000000-0000-7000-8000-000000000001/dashboard/health`);
    expect([unknownHealth.status, unknownHealth.json]).toEqual([404, { error: "project not found" }]);

    const week = await node.get(`${base}/dashboard/volume?bucket=week`);
    expect([week.status, week.json]).toEqual([400, { error: "invalid bucket" }]);
    const hour = await node.get(`${base}/dashboard/volume`);
    expect(hour.json.reduce((n: number, b: any) => n + b.count, 0)).toBe(3);
    expect(hour.json[0].bucket).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:00:00\+00$/);
    const day = await node.get(`${base}/dashboard/volume?bucket=day`);
    expect(day.json).toHaveLength(1);
    expect(day.json[0].bucket).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00\+00$/);

    const top = await node.get(`${base}/dashboard/top-issues`);
    expect(top.json).toHaveLength(3);
    expect(Object.keys(top.json[0]).sort()).toEqual(["event_count", "id", "last_seen", "level", "status", "title"]);
    const timeline = await node.get(`/api/v1/issues/${ev.issue_id}/timeline`);
    expect(timeline.json.map((e: any) => e.id)).toEqual([ev.event_id]);
  });

  it("S16 new-issue alert with cooldown and the alert lifecycle", async () => {
    const p = await project("s16");
    const dash = await node.ws(`/stream/projects/${p.projectId}`);
    const rule = await node.post(`/api/v1/projects/${p.projectId}/alert-rules`, { name: "new", condition: { condition_type: "new_issue" } });
    expect(rule.status).toBe(201);
    const first = await ingest(p.key, { message: "brand new failure" });
    const alert = await dash.waitMessage((m) => m.type === "alert", 5000, "new_issue alert");
    expect(alert).toMatchObject({ condition: "new_issue", rule_name: "new", message: `new_issue detected for issue ${first.issue_id}` });
    const list = await node.get(`/api/v1/projects/${p.projectId}/alerts`);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({
      id: alert.alert_id,
      rule_id: rule.json.id,
      project_id: p.projectId,
      status: "active",
      message: `new_issue detected for issue ${first.issue_id}`,
      condition_snapshot: { condition_type: "new_issue", rule_name: "new" },
      acknowledged_at: null,
      resolved_at: null,
      rule_name: "new",
    });
    const rules = await node.get(`/api/v1/projects/${p.projectId}/alert-rules`);
    expect(rules.json[0].last_fired_at).toMatch(TS);

    await ingest(p.key, { message: "another new failure" });
    await sleep(500);
    expect((await node.get(`/api/v1/projects/${p.projectId}/alerts`)).json).toHaveLength(1);

    const id = alert.alert_id;
    expect((await node.post(`/api/v1/alerts/${id}/acknowledge`)).json).toEqual({ status: "ok", affected: 1 });
    expect((await node.post(`/api/v1/alerts/${id}/acknowledge`)).json).toEqual({ status: "ok", affected: 0 });
    expect((await node.get(`/api/v1/projects/${p.projectId}/alerts?status=acknowledged`)).json[0].acknowledged_at).toMatch(TS);
    expect((await node.post(`/api/v1/alerts/${id}/resolve`)).json).toEqual({ status: "ok", affected: 1 });
    expect((await node.post(`/api/v1/alerts/${id}/resolve`)).json).toEqual({ status: "ok", affected: 0 });
    const resolved = await node.get(`/api/v1/projects/${p.projectId}/alerts?status=resolved`);
    expect(resolved.json.map((a: any) => a.status)).toEqual(["resolved"]);
    expect((await node.get(`/api/v1/projects/${p.projectId}/alerts?status=active`)).json).toEqual([]);
    dash.close();
  });

  it("S17 threshold alert fired by the evaluator", async () => {
    const p = await project("s17");
    const rule = await node.post(`/api/v1/projects/${p.projectId}/alert-rules`, {
      name: "burst",
      condition: { condition_type: "threshold", threshold: 3, window_minutes: 5 },
      cooldown_minutes: 0,
    });
    expect(rule.status, rule.text).toBe(201);
    for (let i = 0; i < 4; i++) await ingest(p.key, { message: `burst ${i}` });
    const alerts = await eventually(async () => {
      const r = await node.get(`/api/v1/projects/${p.projectId}/alerts`);
      return r.json.length > 0 ? r.json : null;
    }, 4000, "threshold alert");
    expect(alerts[0]).toMatchObject({ message: "Event count exceeded 3 in 5 minutes", rule_name: "burst", status: "active" });
    expect(alerts[0].condition_snapshot).toEqual({ condition_type: "threshold", rule_name: "burst" });
    await node.waitLine("[Mesher] Alert evaluator: checked rules, 1 fired", 3000);
    const off = await node.post(`/api/v1/alert-rules/${rule.json.id}/toggle`, { enabled: false });
    expect(off.json).toEqual({ status: "ok", affected: 1 });
    const del = await node.post(`/api/v1/alert-rules/${rule.json.id}/delete`);
    expect(del.json).toEqual({ status: "ok", affected: 1 });
    expect((await node.get(`/api/v1/projects/${p.projectId}/alerts`)).json).toEqual([]);
  });

  it("S18 team: users, memberships, roles, assignment, login", async () => {
    const email = `ann.${Date.now()}@example.com`;
    const u = await node.post("/api/v1/users", { email, password: "correct horse", display_name: "Ann" });
    expect(u.status, u.text).toBe(201);
    expect(u.json.id).toMatch(UUID);
    const dup = await node.post("/api/v1/users", { email, password: "other pass", display_name: "Ann 2" });
    expect([dup.status, dup.json]).toEqual([409, { error: "email already registered" }]);

    const m = await node.post(`/api/v1/orgs/${boot.orgId}/members`, { user_id: u.json.id });
    expect(m.status, m.text).toBe(201);
    const members = await node.get(`/api/v1/orgs/${boot.orgId}/members`);
    const mine = members.json.find((x: any) => x.id === m.json.id);
    expect(mine).toMatchObject({ user_id: u.json.id, email, display_name: "Ann", role: "member" });
    expect(mine.joined_at).toMatch(TS);
    const again = await node.post(`/api/v1/orgs/${boot.orgId}/members`, { user_id: u.json.id });
    expect([again.status, again.json]).toEqual([409, { error: "already a member" }]);

    const role = `/api/v1/orgs/${boot.orgId}/members/${m.json.id}/role`;
    expect((await node.post(role, { role: "owner" })).json).toEqual({ status: "ok", affected: 1 });
    expect((await node.post(role, { role: "king" })).json).toEqual({ status: "ok", affected: 0 });
    expect((await node.get(`/api/v1/orgs/${boot.orgId}/members`)).json.find((x: any) => x.id === m.json.id).role).toBe("owner");

    const p = await project("s18");
    const ev = await ingest(p.key, { message: "needs an owner" });
    const as = await node.post(`/api/v1/issues/${ev.issue_id}/assign`, { user_id: u.json.id });
    expect([as.status, as.json]).toEqual([200, { status: "ok" }]);
    expect((await issue(p.projectId, ev.issue_id)).assigned_to).toBe(u.json.id);
    const byAssignee = await node.get(`/api/v1/projects/${p.projectId}/issues?assigned_to=${u.json.id}`);
    expect(byAssignee.json.data.map((i: any) => i.id)).toEqual([ev.issue_id]);
    const unassign = await node.post(`/api/v1/issues/${ev.issue_id}/assign`, { user_id: "" });
    expect(unassign.status).toBe(200);
    expect((await issue(p.projectId, ev.issue_id)).assigned_to).toBeNull();
    const ghost = await node.post(`/api/v1/issues/${ev.issue_id}/assign`, { user_id: "00000000-0000-7000-8000-000000000009" });
    expect([ghost.status, ghost.json]).toEqual([404, { error: "user not found" }]);

    const remove = await node.post(`/api/v1/orgs/${boot.orgId}/members/${m.json.id}/remove`);
    expect(remove.json).toEqual({ status: "ok", affected: 1 });

    const login = await node.post("/api/v1/auth/login", { email, password: "correct horse" });
    expect(login.status, login.text).toBe(200);
    expect(login.json.token).toMatch(/^[0-9a-f]{64}$/);
    expect(login.json.user_id).toBe(u.json.id);
    expect(login.json.expires_at).toMatch(TS);
    const wrong = await node.post("/api/v1/auth/login", { email, password: "wrong password" });
    expect([wrong.status, wrong.json]).toEqual([401, { error: "invalid credentials" }]);
    const out = await node.post("/api/v1/auth/logout", undefined, { Authorization: `Bearer ${login.json.token}` });
    expect([out.status, out.json]).toEqual([200, { status: "ok" }]);
  });

  it("bootstrap and project endpoints (§4.10) and API keys (§4.7)", async () => {
    const orgs = await node.get("/api/v1/orgs");
    expect(orgs.json.find((o: any) => o.id === boot.orgId)).toMatchObject({ name: "Acme", slug: "acme" });
    const org = await node.get(`/api/v1/orgs/${boot.orgId}`);
    expect(org.json).toMatchObject({ id: boot.orgId, name: "Acme", slug: "acme" });
    const dupSlug = await node.post("/api/v1/orgs", { name: "Other", slug: "acme" });
    expect([dupSlug.status, dupSlug.json]).toEqual([409, { error: "slug already exists" }]);
    const proj = await node.get(`/api/v1/projects/${boot.projectId}`);
    expect(proj.json).toMatchObject({ id: boot.projectId, org_id: boot.orgId, name: "web", platform: null, retention_days: 90, sample_rate: 1 });
    const list = await node.get(`/api/v1/orgs/${boot.orgId}/projects`);
    expect(list.json.map((p: any) => p.name)).toEqual([...list.json.map((p: any) => p.name)].sort());
    expect(Object.keys(list.json[0]).sort()).toEqual(["created_at", "id", "name", "org_id", "platform"]);

    const k2 = await node.post(`/api/v1/projects/${boot.projectId}/api-keys`, {});
    expect(k2.status).toBe(201);
    const keys = await node.get(`/api/v1/projects/${boot.projectId}/api-keys`);
    expect(keys.json[0]).toMatchObject({ id: k2.json.id, key_value: k2.json.key_value, label: "default", revoked_at: null });
    expect((await node.post(`/api/v1/api-keys/${k2.json.id}/revoke`)).json).toEqual({ status: "ok", affected: 1 });
    expect((await node.post(`/api/v1/api-keys/${k2.json.id}/revoke`)).json).toEqual({ status: "ok", affected: 0 });
    const revoked = (await node.get(`/api/v1/projects/${boot.projectId}/api-keys`)).json.find((k: any) => k.id === k2.json.id);
    expect(revoked.revoked_at).toMatch(TS);
    expect((await node.ingest(k2.json.key_value, { message: "x" })).status).toBe(401);
    const unknownProject = await node.post(`/api/v1/projects/00000000-0000-7000-8000-00000000000a/api-keys`, {});
    expect([unknownProject.status, unknownProject.json]).toEqual([404, { error: "project not found" }]);

    const settings = await node.get(`/api/v1/projects/${boot.projectId}/settings`);
    expect(settings.json).toEqual({ retention_days: 90, sample_rate: 1 });
    const set = await node.post(`/api/v1/projects/${boot.projectId}/settings`, { retention_days: 30 });
    expect(set.json).toEqual({ status: "ok", affected: 1 });
    expect((await node.get(`/api/v1/projects/${boot.projectId}/settings`)).json).toEqual({ retention_days: 30, sample_rate: 1 });
    expect((await node.post(`/api/v1/projects/${boot.projectId}/settings`, { retention_days: 91 })).status).toBe(400);
    expect((await node.post(`/api/v1/projects/${boot.projectId}/settings`, { sample_rate: 1.5 })).status).toBe(400);

    const unknownPath = await node.get("/api/v1/nothing/here");
    expect([unknownPath.status, unknownPath.json]).toEqual([404, { error: "not found" }]);
    const wrongMethod = await node.req("DELETE", `/api/v1/projects/${boot.projectId}/issues`);
    expect([wrongMethod.status, wrongMethod.json]).toEqual([404, { error: "not found" }]);
    expect(wrongMethod.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("issue actions broadcast and delete removes the events", async () => {
    const p = await project("actions");
    const dash = await node.ws(`/stream/projects/${p.projectId}`);
    const ev = await ingest(p.key, { message: "to be deleted" });
    await storedEvents(ev.issue_id, 1);
    for (const [path, action] of [["archive", "archived"], ["unresolve", "unresolved"], ["discard", "discarded"]] as const) {
      expect((await node.post(`/api/v1/issues/${ev.issue_id}/${path}`)).json).toEqual({ status: "ok", affected: 1 });
      await dash.waitMessage((m) => m.type === "issue" && m.action === action, 5000, action);
    }
    // the count follows the action through the stream's drain ticker: wait for the latest one
    const latestCount = () => dash.ofType("issue_count").at(-1);
    for (let t = 0; t < 50 && (latestCount() as { count?: number } | undefined)?.count !== 0; t++) await new Promise((r) => setTimeout(r, 100));
    expect(latestCount()).toEqual({ type: "issue_count", project_id: p.projectId, count: 0 });
    const del = await node.post(`/api/v1/issues/${ev.issue_id}/delete`);
    expect(del.json).toEqual({ status: "ok", affected: 1 });
    await dash.waitMessage((m) => m.type === "issue" && m.action === "deleted", 5000, "deleted");
    expect((await node.get(`/api/v1/events/${ev.event_id}`)).status).toBe(404);
    expect((await node.get(`/api/v1/issues/${ev.issue_id}/events`)).json).toEqual({ data: [], has_more: false });
    expect((await node.post(`/api/v1/issues/${ev.issue_id}/delete`)).json).toEqual({ status: "ok", affected: 0 });
    dash.close();
  });
});
