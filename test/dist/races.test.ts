// Races between OS processes: three nodes registering one global name at the same moment (one
// winner, the same on every node; an earlier registration made before the nodes met wins
// everywhere) and two nodes connecting to each other at the same moment (concurrency.md §7.4
// duplicates: both connects return 0, one session, one NodeUp each, no NodeDown).
// Programs: programs/faults/{race,mutual}.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { all, buildNode, nodeNames as names, startNode, stopNodes } from "./cluster.js";

let race = "";
let mutual = "";

beforeAll(async () => {
  [race, mutual] = await Promise.all([buildNode("faults/race"), buildNode("faults/mutual")]);
});
afterAll(stopNodes);

const COOKIE = "race-cookie";

describe("races between OS processes", () => {
  it("three nodes register one global name at the same moment: exactly one winner, the same everywhere", async () => {
    const n = await names(["a", "b", "c"]);
    // once a sees the whole cluster it tells every node the same moment at which to register "leader"
    const a = startNode("a", race, { NAME: n.a!, COOKIE, PEERS: "2", LEAD: "1" });
    await a.waitLine("ready");
    const b = startNode("b", race, { NAME: n.b!, COOKIE, PEERS: "2", CONNECT: n.a! });
    await b.waitLine("ready");
    const c = startNode("c", race, { NAME: n.c!, COOKIE, PEERS: "2", CONNECT: `${n.a},${n.b}` });
    await c.waitLine("ready");
    const nodes = [a, b, c];
    const leaders = await Promise.all(nodes.map((p) => p.waitMatch(/^winner leader /, 10_000)));
    const earlies = await Promise.all(nodes.map((p) => p.waitMatch(/^winner early /, 10_000)));
    const diag = all(...nodes);
    for (const p of nodes) expect(p.stdout.text, diag).not.toMatch(/no go|silent|none/);
    const winner = leaders[0]!.slice("winner leader ".length);
    expect([n.a, n.b, n.c], diag).toContain(winner);
    expect(leaders, diag).toEqual(nodes.map(() => `winner leader ${winner}`));
    // "early" was registered by each node before it started, a first: the earliest wins everywhere
    expect(earlies, diag).toEqual(nodes.map(() => `winner early ${n.a}`));
    const locally = nodes.map((p) => p.stdout.lines.filter((l) => l === "registered leader locally: true").length);
    expect(locally.reduce((x, y) => x + y), diag).toBeGreaterThanOrEqual(1);
    // informational: how many nodes saw "leader" free in their own view (>= 2 = a real conflict)
    console.log(`global race: ${locally.reduce((x, y) => x + y)} of 3 nodes registered "leader" in their own view; winner ${winner}`);
    await Promise.all(nodes.map((p) => p.stop()));
  });
  it("two nodes connect to each other at the same moment: both get 0, one session, one NodeUp each, no NodeDown", async () => {
    const n = await names(["a", "b"]);
    const gofile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mesh-dist-go-")), "go");
    const a = startNode("a", mutual, { NAME: n.a!, COOKIE, TARGET: n.b!, GOFILE: gofile });
    const b = startNode("b", mutual, { NAME: n.b!, COOKIE, TARGET: n.a!, GOFILE: gofile });
    await Promise.all([a.waitLine("ready"), b.waitLine("ready")]);
    fs.writeFileSync(gofile + ".tmp", String(Date.now() + 300));
    fs.renameSync(gofile + ".tmp", gofile);
    const [ea, eb] = await Promise.all([a.exit(20_000), b.exit(20_000)]);
    const diag = all(a, b);
    for (const [p, other] of [
      [a, n.b],
      [b, n.a],
    ] as const) {
      const ls = p.stdout.lines;
      expect(ls.filter((l) => !l.startsWith("late by")).sort(), diag).toEqual(["connect 0", "peers 1", "ready", "start 0", `up ${other}`]);
      expect(ls[ls.length - 1], diag).toBe("peers 1");
    }
    expect([ea.code, eb.code], diag).toEqual([0, 0]);
    // informational: whether the two handshakes really crossed (a REJECT 3 logged on one side)
    console.log(`mutual connect stderr:\n${a.stderr.text}${b.stderr.text}`);
    fs.rmSync(path.dirname(gofile), { recursive: true, force: true });
  });
});
