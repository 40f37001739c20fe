// Bad input on every management endpoint of mesher.md §4 against the compiled mesher/ program:
// malformed and unknown ids, malformed/truncated/non-object JSON, invalid UTF-8, oversized bodies,
// wrong field types, SQL-injection / quote / unicode payloads (stored and returned byte for byte),
// NUL characters, and the MESHER_ADMIN_TOKEN guard (§2.5) — the node runs with an admin token, so
// every request here also proves the guard lets authorised requests through. Each case gets its
// documented 4xx (or the documented 200 with affected 0), and the node stays up throughout. With
// DATABASE_URL set, everything runs a second time on a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { MESHER_SRC, backends, bootstrap, dropRealSchema, startMesher, stopAllMeshers, type Bootstrap, type MesherNode } from "./harness.js";

const ADMIN = "test-admin-token-0123";
const AUTH = { Authorization: `Bearer ${ADMIN}` };
const NIL = "00000000-0000-7000-8000-0000000000ee";
const EVIL = `Robert'); DROP TABLE issues; -- "quoted" \\back\\slash \n\ttab ünïcödé 𝄞 😀 \${x} %s $1 <b>&amp;</b>`;

let node: MesherNode;
let boot: Bootstrap;

afterAll(async () => {
  await stopAllMeshers();
  await dropRealSchema("mesher_bad");
});

type Method = "GET" | "POST";
interface Route {
  m: Method;
  /** path with {param} placeholders */
  p: string;
  /** a valid body for POST routes that read one */
  body?: unknown;
  /** the documented answer for well-formed but unknown ids */
  unknown: [number, unknown];
}

/** Every management route of §4 (43) with the documented answer for unknown ids. */
const ROUTES: Route[] = [
  { m: "POST", p: "/api/v1/issues/{issue_id}/resolve", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "POST", p: "/api/v1/issues/{issue_id}/archive", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "POST", p: "/api/v1/issues/{issue_id}/unresolve", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "POST", p: "/api/v1/issues/{issue_id}/discard", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "POST", p: "/api/v1/issues/{issue_id}/delete", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "POST", p: "/api/v1/issues/{issue_id}/assign", body: { user_id: "" }, unknown: [404, { error: "issue not found" }] },
  { m: "GET", p: "/api/v1/projects/{project_id}/issues", unknown: [200, { data: [], has_more: false }] },
  { m: "GET", p: "/api/v1/projects/{project_id}/events/search?q=x", unknown: [200, []] },
  { m: "GET", p: "/api/v1/projects/{project_id}/events/tags?key=a&value=b", unknown: [200, []] },
  { m: "GET", p: "/api/v1/issues/{issue_id}/events", unknown: [200, { data: [], has_more: false }] },
  { m: "GET", p: "/api/v1/projects/{project_id}/dashboard/volume", unknown: [200, []] },
  { m: "GET", p: "/api/v1/projects/{project_id}/dashboard/levels", unknown: [200, []] },
  { m: "GET", p: "/api/v1/projects/{project_id}/dashboard/top-issues", unknown: [200, []] },
  { m: "GET", p: "/api/v1/projects/{project_id}/dashboard/tags?key=a", unknown: [200, []] },
  { m: "GET", p: "/api/v1/issues/{issue_id}/timeline", unknown: [200, []] },
  { m: "GET", p: "/api/v1/projects/{project_id}/dashboard/health", unknown: [404, { error: "project not found" }] },
  { m: "GET", p: "/api/v1/events/{event_id}", unknown: [404, { error: "event not found" }] },
  { m: "GET", p: "/api/v1/orgs/{org_id}/members", unknown: [200, []] },
  { m: "POST", p: "/api/v1/orgs/{org_id}/members", body: { user_id: NIL }, unknown: [404, { error: "org not found" }] },
  { m: "POST", p: "/api/v1/orgs/{org_id}/members/{membership_id}/role", body: { role: "admin" }, unknown: [200, { status: "ok", affected: 0 }] },
  { m: "POST", p: "/api/v1/orgs/{org_id}/members/{membership_id}/remove", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "GET", p: "/api/v1/projects/{project_id}/api-keys", unknown: [200, []] },
  { m: "POST", p: "/api/v1/projects/{project_id}/api-keys", body: { label: "x" }, unknown: [404, { error: "project not found" }] },
  { m: "POST", p: "/api/v1/api-keys/{key_id}/revoke", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "GET", p: "/api/v1/projects/{project_id}/alert-rules", unknown: [200, []] },
  { m: "POST", p: "/api/v1/projects/{project_id}/alert-rules", body: { condition: { condition_type: "new_issue" } }, unknown: [404, { error: "project not found" }] },
  { m: "POST", p: "/api/v1/alert-rules/{rule_id}/toggle", body: { enabled: false }, unknown: [200, { status: "ok", affected: 0 }] },
  { m: "POST", p: "/api/v1/alert-rules/{rule_id}/delete", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "GET", p: "/api/v1/projects/{project_id}/alerts", unknown: [200, []] },
  { m: "POST", p: "/api/v1/alerts/{alert_id}/acknowledge", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "POST", p: "/api/v1/alerts/{alert_id}/resolve", unknown: [200, { status: "ok", affected: 0 }] },
  { m: "GET", p: "/api/v1/projects/{project_id}/settings", unknown: [404, { error: "project not found" }] },
  { m: "POST", p: "/api/v1/projects/{project_id}/settings", body: { retention_days: 7 }, unknown: [200, { status: "ok", affected: 0 }] },
  { m: "GET", p: "/api/v1/projects/{project_id}/storage", unknown: [200, { event_count: 0, estimated_bytes: 0 }] },
  { m: "POST", p: "/api/v1/orgs", body: { name: "n", slug: "fresh-slug" }, unknown: [201, null] },
  { m: "GET", p: "/api/v1/orgs", unknown: [200, null] },
  { m: "GET", p: "/api/v1/orgs/{org_id}", unknown: [404, { error: "org not found" }] },
  { m: "POST", p: "/api/v1/orgs/{org_id}/projects", body: { name: "p" }, unknown: [404, { error: "org not found" }] },
  { m: "GET", p: "/api/v1/orgs/{org_id}/projects", unknown: [200, []] },
  { m: "GET", p: "/api/v1/projects/{project_id}", unknown: [404, { error: "project not found" }] },
  { m: "POST", p: "/api/v1/users", body: { email: "u@example.com", password: "longenough", display_name: "U" }, unknown: [201, null] },
  { m: "POST", p: "/api/v1/auth/login", body: { email: "nobody@example.com", password: "whatever1" }, unknown: [401, { error: "invalid credentials" }] },
  { m: "POST", p: "/api/v1/auth/logout", unknown: [200, { status: "ok" }] },
];

const params = (p: string) => [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
const fill = (p: string, v: (name: string) => string) => p.replace(/\{(\w+)\}/g, (_, n) => v(n));

function send(r: Route, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  return node.req(r.m, path, { body: r.m === "POST" ? body : undefined, headers });
}

for (const [backend, backendEnv] of backends("mesher_bad")) describe(`Mesher API bad input (${backend})`, () => {
  beforeAll(async () => {
    node = await startMesher({ env: { ...(await backendEnv()), MESHER_ADMIN_TOKEN: ADMIN } });
    boot = await bootstrap(node, { headers: AUTH, slug: "acme" });
  }, 200_000);

  afterAll(() => node?.stop());

  it("covers the 43 management routes of §4.11, exactly the ones mesher/api/router.mpl registers", () => {
    expect(ROUTES).toHaveLength(43);
    const table = ROUTES.map((r) => `${r.m} ${r.p.split("?")[0].replace(/\{(\w+)\}/g, ":$1")}`).sort();
    expect(new Set(table).size).toBe(43);
    const source = fs.readFileSync(path.join(MESHER_SRC, "api/router.mpl"), "utf8");
    const routed = [...source.matchAll(/HTTP\.on_(get|post)\("([^"]+)"/g)].map((m) => `${m[1].toUpperCase()} ${m[2]}`).sort();
    expect(routed).toEqual(table);
  });

  it("malformed path ids give 400 invalid {param} on every route that takes one", async () => {
    for (const r of ROUTES.filter((r) => params(r.p).length > 0)) {
      for (const bad of ["not-a-uuid", "'%20OR%201=1--", "00000000-0000-7000-8000-00000000000g", "%F0%9F%98%80"]) {
        for (const name of params(r.p)) {
          const path = fill(r.p, (n) => (n === name ? bad : NIL));
          const res = await send(r, path, r.body ?? {});
          expect([res.status, res.json], `${r.m} ${path}`).toEqual([400, { error: `invalid ${name}` }]);
        }
      }
    }
  });

  it("well-formed unknown ids give the documented answer", async () => {
    for (const r of ROUTES) {
      const body = r.p === "/api/v1/orgs" ? { name: "n", slug: `s-${Date.now()}` } : r.p === "/api/v1/users" ? { email: `u${Date.now()}@example.com`, password: "longenough", display_name: "U" } : r.body;
      const res = await send(r, fill(r.p, () => NIL), body);
      const [status, json] = r.unknown;
      expect(res.status, `${r.m} ${r.p}: ${res.text}`).toBe(status);
      if (json !== null) expect(res.json, `${r.m} ${r.p}`).toEqual(json);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    }
  });

  it("malformed, truncated, non-object, invalid UTF-8 and oversized bodies give 400", async () => {
    const withBody = ROUTES.filter((r) => r.body !== undefined);
    expect(withBody.length).toBe(11);
    const big = `{"name":"${"x".repeat(1048577)}"}`;
    const cases: [string | Buffer, string][] = [
      ['{"name":', "invalid json"],
      ['{"name": "a", }', "invalid json"],
      ["{'name': 'a'}", "invalid json"],
      ["nul\u0000", "invalid json"],
      [Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "invalid json"],
      ["[1, 2]", "body must be a JSON object"],
      ['"just a string"', "body must be a JSON object"],
      ["42", "body must be a JSON object"],
      [big, "payload too large"],
    ];
    for (const r of withBody) {
      const path = fill(r.p, () => boot.projectId);
      for (const [body, error] of cases) {
        const res = await node.req("POST", path, { body, headers: AUTH });
        expect([res.status, res.json], `${r.p} <- ${String(body).slice(0, 30)}`).toEqual([400, { error }]);
      }
    }
  });

  it("wrong field types give 400 with a descriptive error", async () => {
    const P = `/api/v1/projects/${boot.projectId}`;
    const cases: [string, unknown, string][] = [
      ["/api/v1/orgs", { name: 5, slug: "ok" }, "invalid field: name"],
      ["/api/v1/orgs", { name: "n" }, "slug is required"],
      ["/api/v1/orgs", { name: "n", slug: "Bad Slug" }, "invalid slug: must match ^[a-z0-9][a-z0-9-]{0,62}$"],
      ["/api/v1/orgs", { name: "n", slug: "-lead" }, "invalid slug: must match ^[a-z0-9][a-z0-9-]{0,62}$"],
      ["/api/v1/orgs", { name: "n", slug: "a".repeat(64) }, "invalid slug: must match ^[a-z0-9][a-z0-9-]{0,62}$"],
      ["/api/v1/orgs", { name: "nul\u0000name", slug: "nul" }, "invalid field: name"],
      [`/api/v1/orgs/${boot.orgId}/projects`, { name: ["x"] }, "invalid field: name"],
      [`/api/v1/orgs/${boot.orgId}/projects`, {}, "name is required"],
      [`/api/v1/orgs/${boot.orgId}/projects`, { name: "p", platform: 3 }, "invalid field: platform"],
      ["/api/v1/users", { email: "a@b.c", password: "short", display_name: "A" }, "password must be at least 8 characters"],
      ["/api/v1/users", { email: "no-at-sign", password: "longenough", display_name: "A" }, "invalid email"],
      ["/api/v1/users", { email: {}, password: "longenough", display_name: "A" }, "invalid field: email"],
      ["/api/v1/users", { email: "a@b.c", password: "longenough" }, "display_name is required"],
      ["/api/v1/auth/login", { email: 1, password: "x" }, "invalid field: email"],
      [`/api/v1/orgs/${boot.orgId}/members`, {}, "user_id is required"],
      [`/api/v1/orgs/${boot.orgId}/members`, { user_id: 7 }, "invalid user_id"],
      [`/api/v1/orgs/${boot.orgId}/members`, { user_id: "nope" }, "invalid user_id"],
      [`/api/v1/orgs/${boot.orgId}/members`, { user_id: NIL, role: "king" }, "invalid role"],
      [`${P}/api-keys`, { label: 5 }, "invalid field: label"],
      [`${P}/alert-rules`, { name: 5, condition: { condition_type: "new_issue" } }, "invalid field: name"],
      [`${P}/alert-rules`, {}, "invalid condition: condition_type must be threshold, new_issue or regression"],
      [`${P}/alert-rules`, { condition: "threshold" }, "invalid condition: condition_type must be threshold, new_issue or regression"],
      [`${P}/alert-rules`, { condition: { condition_type: "threshold", threshold: -1, window_minutes: 5 } }, "invalid condition: threshold must be an integer >= 0"],
      [`${P}/alert-rules`, { condition: { condition_type: "threshold", threshold: 1, window_minutes: 0 } }, "invalid condition: window_minutes must be an integer >= 1"],
      [`${P}/alert-rules`, { condition: { condition_type: "threshold", threshold: 1.5, window_minutes: 5 } }, "invalid condition: threshold must be an integer >= 0"],
      [`${P}/alert-rules`, { condition: { condition_type: "new_issue" }, cooldown_minutes: "60" }, "invalid condition: cooldown_minutes must be an integer >= 0"],
      [`${P}/alert-rules`, { condition: { condition_type: "new_issue" }, action: { type: "email" } }, "invalid action: type must be websocket"],
      [`/api/v1/alert-rules/${NIL}/toggle`, { enabled: "yes" }, "enabled must be a boolean"],
      [`/api/v1/alert-rules/${NIL}/toggle`, { enabled: 1 }, "enabled must be a boolean"],
      [`${P}/settings`, { retention_days: "30" }, "retention_days must be an integer between 1 and 90"],
      [`${P}/settings`, { retention_days: 1.5 }, "retention_days must be an integer between 1 and 90"],
      [`${P}/settings`, { retention_days: 0 }, "retention_days must be an integer between 1 and 90"],
      [`${P}/settings`, { sample_rate: "0.5" }, "sample_rate must be a number between 0.0 and 1.0"],
      [`${P}/settings`, { sample_rate: -0.1 }, "sample_rate must be a number between 0.0 and 1.0"],
      [`/api/v1/issues/${NIL}/assign`, { user_id: 12 }, "invalid user_id"],
      [`/api/v1/issues/${NIL}/assign`, { user_id: "not-a-uuid" }, "invalid user_id"],
    ];
    for (const [path, body, error] of cases) {
      const res = await node.post(path, body, AUTH);
      expect([res.status, res.json], `${path} <- ${JSON.stringify(body)}`).toEqual([400, { error }]);
    }
    expect((await node.get(`${P}/settings`, AUTH)).json).toEqual({ retention_days: 90, sample_rate: 1 });
  });

  it("bad query parameters give 400 or fall back to defaults", async () => {
    const P = `/api/v1/projects/${boot.projectId}`;
    const cases: [string, number, unknown][] = [
      [`${P}/issues?cursor=2026-01-01`, 400, { error: "cursor_id required with cursor" }],
      [`${P}/issues?cursor=yesterday-ish&cursor_id=${NIL}`, 400, { error: "invalid cursor" }],
      [`${P}/issues?cursor=2026-01-01&cursor_id=nope`, 400, { error: "invalid cursor_id" }],
      [`${P}/issues?assigned_to=bob`, 400, { error: "invalid assigned_to" }],
      [`${P}/issues?limit=abc`, 200, { data: [], has_more: false }],
      [`${P}/issues?limit=-5&status=%00`, 400, { error: "invalid status" }],
      [`${P}/events/search?q=`, 400, { error: "missing search query" }],
      [`${P}/events/search?q=%20%20`, 400, { error: "missing search query" }],
      [`${P}/events/search?q=a%00b`, 400, { error: "invalid q" }],
      [`${P}/events/tags?value=x`, 400, { error: "missing key or value parameter" }],
      [`${P}/dashboard/volume?bucket=minute`, 400, { error: "invalid bucket" }],
      [`${P}/dashboard/volume?bucket=HOUR`, 400, { error: "invalid bucket" }],
      [`${P}/dashboard/tags?key=`, 400, { error: "missing key parameter" }],
      [`${P}/alerts?status=bogus`, 400, { error: "invalid status" }],
    ];
    for (const [path, status, json] of cases) {
      const res = await node.get(path, AUTH);
      expect([res.status, res.json], path).toEqual([status, json]);
    }
    // injection strings in query parameters are just data
    for (const q of ["' OR 1=1 --", "'); DROP TABLE events; --", "😀 ünï", "%' AND '%'='"]) {
      const s = await node.get(`${P}/events/search?q=${encodeURIComponent(q)}`, AUTH);
      expect([s.status, s.json]).toEqual([200, []]);
      const t = await node.get(`${P}/events/tags?key=${encodeURIComponent(q)}&value=${encodeURIComponent(q)}`, AUTH);
      expect([t.status, t.json]).toEqual([200, []]);
      const d = await node.get(`${P}/dashboard/tags?key=${encodeURIComponent(q)}`, AUTH);
      expect([d.status, d.json]).toEqual([200, []]);
      const i = await node.get(`${P}/issues?status=${encodeURIComponent(q)}&level=${encodeURIComponent(q)}`, AUTH);
      expect([i.status, i.json]).toEqual([200, { data: [], has_more: false }]);
    }
  });

  it("injection, quote and unicode payloads are stored and returned byte for byte", async () => {
    const org = await node.post("/api/v1/orgs", { name: EVIL, slug: "evil-org" }, AUTH);
    expect(org.status, org.text).toBe(201);
    expect((await node.get(`/api/v1/orgs/${org.json.id}`, AUTH)).json.name).toBe(EVIL);
    const proj = await node.post(`/api/v1/orgs/${org.json.id}/projects`, { name: EVIL, platform: EVIL }, AUTH);
    expect(proj.status).toBe(201);
    expect((await node.get(`/api/v1/projects/${proj.json.id}`, AUTH)).json).toMatchObject({ name: EVIL, platform: EVIL });
    expect((await node.get(`/api/v1/orgs/${org.json.id}/projects`, AUTH)).json[0]).toMatchObject({ name: EVIL, platform: EVIL });
    const key = await node.post(`/api/v1/projects/${proj.json.id}/api-keys`, { label: EVIL }, AUTH);
    expect(key.status).toBe(201);
    expect((await node.get(`/api/v1/projects/${proj.json.id}/api-keys`, AUTH)).json[0].label).toBe(EVIL);
    const rule = await node.post(`/api/v1/projects/${proj.json.id}/alert-rules`, { name: EVIL, condition: { condition_type: "regression" } }, AUTH);
    expect(rule.status).toBe(201);
    expect((await node.get(`/api/v1/projects/${proj.json.id}/alert-rules`, AUTH)).json[0].name).toBe(EVIL);
    const email = `evil'"😀${Date.now()}@example.com`;
    const user = await node.post("/api/v1/users", { email, password: `${EVIL} pw`, display_name: EVIL }, AUTH);
    expect(user.status, user.text).toBe(201);
    const mem = await node.post(`/api/v1/orgs/${org.json.id}/members`, { user_id: user.json.id, role: "admin" }, AUTH);
    expect(mem.status).toBe(201);
    expect((await node.get(`/api/v1/orgs/${org.json.id}/members`, AUTH)).json[0]).toMatchObject({ email, display_name: EVIL, role: "admin" });
    const login = await node.post("/api/v1/auth/login", { email, password: `${EVIL} pw` });
    expect(login.status).toBe(200);
    const injected = await node.post("/api/v1/auth/login", { email: "' OR '1'='1", password: "' OR '1'='1" });
    expect([injected.status, injected.json]).toEqual([401, { error: "invalid credentials" }]);
    // an event whose strings carry the same payload comes back unchanged
    const ev = await node.ingest(key.json.key_value, { message: EVIL, tags: { [EVIL]: EVIL }, extra: { [EVIL]: [EVIL] } });
    expect(ev.status, ev.text).toBe(202);
    const stored = await (async () => {
      for (let i = 0; i < 100; i++) {
        const r = await node.get(`/api/v1/events/${ev.json.event_id}`, AUTH);
        if (r.status === 200) return r.json.event;
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error("event never stored");
    })();
    expect(stored).toMatchObject({ message: EVIL, tags: { [EVIL]: EVIL }, extra: { [EVIL]: [EVIL] } });
    const issues = await node.get(`/api/v1/projects/${proj.json.id}/issues`, AUTH);
    expect(issues.json.data[0].title).toBe(EVIL);
    const tagged = await node.get(`/api/v1/projects/${proj.json.id}/events/tags?key=${encodeURIComponent(EVIL)}&value=${encodeURIComponent(EVIL)}`, AUTH);
    expect(tagged.json.map((e: any) => e.id)).toEqual([ev.json.event_id]);
    // the tables the payload "dropped" are all still there
    expect((await node.get(`/api/v1/projects/${boot.projectId}/issues`, AUTH)).status).toBe(200);
  });

  it("MESHER_ADMIN_TOKEN: every management route needs the admin or a session token", async () => {
    for (const r of ROUTES.filter((r) => r.p !== "/api/v1/auth/login")) {
      const path = fill(r.p, () => NIL);
      for (const headers of [{}, { Authorization: "Bearer wrong" }, { Authorization: ADMIN }, { Authorization: `Bearer ${"ab".repeat(32)}` }]) {
        const res = await send(r, path, r.body, headers);
        expect([res.status, res.json], `${r.m} ${path} ${JSON.stringify(headers)}`).toEqual([401, { error: "unauthorized" }]);
      }
    }
    const status = await node.get("/api/v1/status");
    expect(status.status).toBe(200);
    const email = `session${Date.now()}@example.com`;
    expect((await node.post("/api/v1/users", { email, password: "session-pass", display_name: "S" }, AUTH)).status).toBe(201);
    const login = await node.post("/api/v1/auth/login", { email, password: "session-pass" });
    expect(login.status).toBe(200);
    const session = { Authorization: `Bearer ${login.json.token}` };
    expect((await node.get("/api/v1/orgs", session)).status).toBe(200);
    expect((await node.post("/api/v1/auth/logout", undefined, session)).json).toEqual({ status: "ok" });
    expect((await node.get("/api/v1/orgs", session)).status).toBe(401);
    // dashboards need ?token= too
    const denied = await node.ws(`/stream/projects/${boot.projectId}`);
    expect(await denied.waitClose()).toBe(1008);
    const wrong = await node.ws(`/stream/projects/${boot.projectId}?token=nope`);
    expect(await wrong.waitClose()).toBe(1008);
    const ok = await node.ws(`/stream/projects/${boot.projectId}?x=1&token=${ADMIN}`);
    expect(ok.closed).toBeNull();
    ok.close();
    const encoded = await node.ws(`/stream/projects/${boot.projectId}?token=${ADMIN.replace(/-/g, "%2D")}`);
    expect(encoded.closed).toBeNull();
    encoded.close();
    const session2 = await node.post("/api/v1/auth/login", { email, password: "session-pass" });
    const viaSession = await node.ws(`/stream/projects/${boot.projectId}?token=${session2.json.token}`);
    expect(viaSession.closed).toBeNull();
    viaSession.close();
    // ingestion is not behind the admin token: it has API keys
    expect((await node.ingest(boot.key, { message: "admin-free ingestion" })).status).toBe(202);
    expect((await node.ingest("mshr_" + "0".repeat(48), { message: "x" })).status).toBe(401);
  });

  it("the node is still up and nothing accepted was lost", async () => {
    expect((await node.get("/api/v1/status")).status).toBe(200);
    const orgs = await node.get("/api/v1/orgs", AUTH);
    expect(orgs.json.map((o: any) => o.id)).toContain(boot.orgId);
    expect(node.alive).toBe(true);
    expect(node.stderr.text).not.toMatch(/TypeError|ReferenceError|at .*\.js:\d+/);
  });
});
