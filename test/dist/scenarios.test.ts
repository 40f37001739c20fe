// concurrency.md appendix M1–M5 as multi-process tests: each node is its own OS process running
// the spec's program compiled by `meshc build`; B starts first, A once B printed its ready line;
// both must exit with status 0 within 20 s and print exactly the spec's expected stdout. The only
// substitution is the port numbers (see programs/README.md). A's Node.js process is pre-started
// with the runtime loaded (cluster.ts startWarm) and its program begins right after B's ready
// line: the spec gives A only 2 s (M2) or 5 s (the others) to start and connect, which Node.js
// start-up alone can exceed on a loaded 2-core machine.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNode, DIST_PROGRAMS, freePorts, startNode, startWarm, stopNodes, substitute } from "./cluster.js";

interface Scenario {
  id: string;
  ready: string;
  /** extra checks on B's stderr */
  bStderr?: RegExp;
}

const SCENARIOS: Scenario[] = [
  { id: "m1", ready: "beta ready" },
  // §7.4: the exact log line, the peer's address being the initiator's ephemeral port
  { id: "m2", ready: "beta ready", bStderr: /^\[mesh\] dist: rejected connection from 127\.0\.0\.1:\d+: authentication failed$/m },
  { id: "m3", ready: "b ready" },
  { id: "m4", ready: "b ready" },
  { id: "m5", ready: "b ready" },
];

const read = (rel: string) => fs.readFileSync(path.join(DIST_PROGRAMS, rel), "utf8");

interface Built {
  a: string;
  b: string;
  aOut: string;
  bOut: string;
}

const built = new Map<string, Promise<Built>>();

async function build(s: Scenario): Promise<Built> {
  const texts = [read(`${s.id}/a/main.mpl`), read(`${s.id}/b/main.mpl`), read(`${s.id}/a.out`), read(`${s.id}/b.out`)];
  const specPorts = [...new Set(texts.flatMap((t) => t.match(/\b472\d\d\b/g) ?? []))];
  const subst = await freePorts(specPorts);
  const [a, b] = await Promise.all([buildNode(`${s.id}/a`, subst), buildNode(`${s.id}/b`, subst)]);
  return { a, b, aOut: substitute(texts[2]!, subst), bOut: substitute(texts[3]!, subst) };
}

beforeAll(() => {
  for (const s of SCENARIOS) built.set(s.id, build(s));
  return Promise.all(built.values()).then(() => undefined);
});
afterAll(stopNodes);

describe("concurrency.md multi-node scenarios", () => {
  for (const s of SCENARIOS) {
    it(`${s.id.toUpperCase()}: both nodes print the spec's output and exit 0`, async () => {
      const p = await built.get(s.id)!;
      // A's Node.js process is started (runtime loaded) first; its program runs after B's ready line
      const warmA = await startWarm(`${s.id}/a`, p.a);
      const b = startNode(`${s.id}/b`, p.b);
      await b.waitLine(s.ready, 10_000);
      warmA.go();
      const a = warmA.node;
      const [ea, eb] = await Promise.all([a.exit(20_000), b.exit(20_000)]);
      const diag = `\n${a.describe()}\n${b.describe()}`;
      expect(a.stdout.text, `A stdout${diag}`).toBe(p.aOut);
      expect(b.stdout.text, `B stdout${diag}`).toBe(p.bOut);
      expect(ea, `A exit${diag}`).toEqual({ code: 0, signal: null });
      expect(eb, `B exit${diag}`).toEqual({ code: 0, signal: null });
      if (s.bStderr) expect(b.stderr.text, `B stderr${diag}`).toMatch(s.bStderr);
    });
  }
});
