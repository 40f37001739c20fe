// Remote service calls between OS processes under faults (concurrency.md §4.5, §4.6, §6.6): a
// reply that cannot leave the service's node (the caller fails, the service keeps serving), a
// remote handler crash, the 5 s call timeout (default, not shortened: it is what is tested),
// and `call failed: noconnection` within 2 s when the serving process is SIGKILLed mid-call.
// Programs: programs/faults/calls/{a,b}.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { all, buildNode, lines, nodeNames as names, startNode, stopNodes } from "./cluster.js";

let callsA = "";
let callsB = "";

beforeAll(async () => {
  [callsA, callsB] = await Promise.all([buildNode("faults/calls/a"), buildNode("faults/calls/b")]);
});
afterAll(stopNodes);

const COOKIE = "calls-cookie";

describe("remote service calls between OS processes", () => {
  it("remote service calls: unsendable reply, crash, the 5 s timeout, and noconnection when the server is SIGKILLed", async () => {
    const n = await names(["a", "b"]);
    const b = startNode("b", callsB, { NAME: n.b!, COOKIE });
    await b.waitLine("b ready 0 0");
    const a = startNode("a", callsA, { NAME: n.a!, COOKIE, SERVER: n.b! });
    await a.waitLine("calling 10000", 20_000);
    const t0 = performance.now();
    b.signal("SIGKILL");
    const cut = "cut caller down: call failed: noconnection";
    await a.waitLine(cut, 5000);
    expect(a.timeOf(cut)! - t0, all(a, b)).toBeLessThanOrEqual(2000);
    const ea = await a.exit(10_000);
    expect(a.stdout.text, all(a, b)).toBe(
      lines(
        "connect 0",
        "fn caller down: call failed: unsendable value: Fun",
        "calling 10",
        "waited 10",
        "wait caller down: normal",
        "explode caller down: call failed: service exploded",
        "calling 7000",
        "slow caller down: call failed: timeout",
        "calling 10000",
        cut,
      ),
    );
    expect(ea.code, all(a, b)).toBe(0);
  });});
