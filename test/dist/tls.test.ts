// Distribution over TLS between OS processes (concurrency.md §7.2): M3 of the appendix with
// MESH_DIST_TLS=1 on both nodes gives exactly the spec's output (without and with MESH_DIST_CA
// verification); a TLS / plain mismatch fails the connect with -3; missing PEM files make
// Node.start return -3; a CA that did not sign the peer's certificate fails the connect (-3).
// Certificates are made with the openssl CLI (the test is skipped, saying so, without it).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNode, DIST_PROGRAMS, freePorts, startNode, startWarm, stopNodes, substitute } from "./cluster.js";

const hasOpenssl = spawnSync("sh", ["-c", "command -v openssl"]).status === 0;
if (!hasOpenssl) console.log("openssl not installed: TLS distribution tests skipped");

let certDir = "";
let peer = "";
const m3 = { a: "", b: "", aOut: "", bOut: "" };

function makeCert(name: string): void {
  const r = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", `/CN=${name}`, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", path.join(certDir, `${name}.key`), "-out", path.join(certDir, `${name}.pem`)],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
}

const tls = (name: string, ca?: string): Record<string, string> => ({
  MESH_DIST_TLS: "1",
  MESH_DIST_CERT: path.join(certDir, `${name}.pem`),
  MESH_DIST_KEY: path.join(certDir, `${name}.key`),
  ...(ca ? { MESH_DIST_CA: path.join(certDir, `${ca}.pem`) } : {}),
});

beforeAll(async () => {
  if (!hasOpenssl) return;
  certDir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-dist-tls-"));
  makeCert("node");
  makeCert("stranger");
  const read = (rel: string) => fs.readFileSync(path.join(DIST_PROGRAMS, rel), "utf8");
  const texts = [read("m3/a/main.mpl"), read("m3/b/main.mpl"), read("m3/a.out"), read("m3/b.out")];
  const subst = await freePorts([...new Set(texts.flatMap((t) => t.match(/\b472\d\d\b/g) ?? []))]);
  [m3.a, m3.b, peer] = await Promise.all([buildNode("m3/a", subst), buildNode("m3/b", subst), buildNode("faults/peer")]);
  m3.aOut = substitute(texts[2]!, subst);
  m3.bOut = substitute(texts[3]!, subst);
});
afterAll(async () => {
  await stopNodes();
  if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
});

async function runM3(envA: Record<string, string>, envB: Record<string, string>): Promise<void> {
  const warmA = await startWarm("m3/a", m3.a, envA);
  const b = startNode("m3/b", m3.b, envB);
  await b.waitLine("b ready", 10_000);
  warmA.go();
  const a = warmA.node;
  const [ea, eb] = await Promise.all([a.exit(20_000), b.exit(20_000)]);
  const diag = `\n${a.describe()}\n${b.describe()}`;
  expect(a.stdout.text, diag).toBe(m3.aOut);
  expect(b.stdout.text, diag).toBe(m3.bOut);
  expect([ea.code, eb.code], diag).toEqual([0, 0]);
}

describe.skipIf(!hasOpenssl)("distribution over TLS", () => {
  it("M3 over TLS (no CA: the cookie authenticates) prints the spec's output", async () => {
    await runM3(tls("node"), tls("node"));
  });

  it("M3 over TLS with MESH_DIST_CA verification prints the spec's output", async () => {
    await runM3(tls("node", "node"), tls("node", "node"));
  });

  it("a TLS node and a plain node cannot connect (-3 both ways); missing PEM files: Node.start -3; an unknown CA: -3", async () => {
    const n = Object.fromEntries(Object.entries(await freePorts(["t", "p", "x", "y", "z", "v"])).map(([k, port]) => [k, `${k}@127.0.0.1:${port}`]));
    const t = startNode("tls", peer, { NAME: n.t!, COOKIE: "c", ...tls("node") });
    const p = startNode("plain", peer, { NAME: n.p!, COOKIE: "c" });
    await Promise.all([t.waitLine("ready"), p.waitLine("ready")]);
    const x = startNode("plain->tls", peer, { NAME: n.x!, COOKIE: "c", CONNECT: n.t! });
    const y = startNode("tls->plain", peer, { NAME: n.y!, COOKIE: "c", CONNECT: n.p!, ...tls("node") });
    const z = startNode("missing pem", peer, { NAME: n.z!, COOKIE: "c", ...tls("node"), MESH_DIST_KEY: path.join(certDir, "nope.key") });
    const v = startNode("wrong CA", peer, { NAME: n.v!, COOKIE: "c", CONNECT: n.t!, ...tls("node", "stranger") });
    await Promise.all([x, y, z, v].map((q) => q.waitLine("ready", 15_000)));
    expect(x.stdout.text, x.describe()).toBe(`start 0\nconnect ${n.t} -3\nready\n`);
    expect(y.stdout.text, y.describe()).toBe(`start 0\nconnect ${n.p} -3\nready\n`);
    expect(z.stdout.text, z.describe()).toBe(`start -3\nready\n`);
    expect(v.stdout.text, v.describe()).toBe(`start 0\nconnect ${n.t} -3\nready\n`);
    for (const q of [t, p, x, y, z, v]) expect(q.stderr.text, q.describe()).not.toMatch(/    at |TypeError|RangeError/);
    await Promise.all([t, p, x, y, z, v].map((q) => q.stop()));
  });
});
