import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  awaitPromise,
  exit,
  link,
  panic,
  receive,
  self,
  sleep,
  spawn,
} from "../../../runtime/sched/index.js";
import { harness, user, type G } from "./helpers.js";

describe("program start and termination (test clock, exit hook)", () => {
  it("exits 0 once main returned and nothing is pending", () => {
    const h = harness();
    h.s.runMain(function* () {
      h.log("hi");
    });
    h.s.flush();
    expect(h.out).toEqual(["hi"]);
    expect(h.exits).toEqual([0]);
  });

  it("a pending timer keeps the program alive; waiting receivers do not", () => {
    const h = harness();
    h.s.runMain(function* () {
      spawn(function* (): G {
        yield* receive(user, null); // a server waiting forever
      });
      spawn(function* (): G {
        yield* sleep(100);
        h.log("slept");
      });
    });
    h.s.flush();
    expect(h.exits).toEqual([]);
    h.s.advance(100);
    expect(h.out).toEqual(["slept"]);
    expect(h.exits).toEqual([0]);
  });

  it("a panic in main prints `panic: …`, exits 101 and nothing else runs", () => {
    const h = harness();
    h.s.runMain(function* () {
      spawn(() => h.log("never"));
      panic("main broke");
    });
    h.s.settle();
    expect(h.err).toEqual(["panic: main broke"]);
    expect(h.exits).toEqual([101]);
    expect(h.out).toEqual([]);
  });

  it("main terminated by an exit signal: `[mesh] main <0.1> exited: …`, status 101", () => {
    const h = harness();
    h.s.runMain(function* () {
      const me = self();
      spawn(
        function* (): G {
          link(me);
          panic("child broke");
        },
        [],
        { kind: "actor", name: "kid" },
      );
      yield* sleep(10);
      h.log("not reached");
    });
    h.s.settle();
    expect(h.err).toEqual(["[mesh] actor kid <0.2> crashed: child broke", "[mesh] main <0.1> exited: child broke"]);
    expect(h.exits).toEqual([101]);
    expect(h.out).toEqual([]);
  });

  it("main exiting itself with a custom reason is status 101; with normal the program continues", () => {
    const h = harness();
    h.s.runMain(function* () {
      exit(self(), "done here");
    });
    h.s.flush();
    expect(h.err).toEqual(["[mesh] main <0.1> exited: done here"]);
    expect(h.exits).toEqual([101]);

    const h2 = harness();
    h2.s.runMain(function* () {
      spawn(function* (): G {
        yield* sleep(5);
        h2.log("child still ran");
      });
      exit(self(), "normal");
    });
    h2.s.settle();
    expect(h2.out).toEqual(["child still ran"]);
    expect(h2.exits).toEqual([0]);
  });

  it("main blocked forever with nothing pending: the program ends with status 0", () => {
    const h = harness();
    h.s.runMain(function* () {
      yield* receive(user, null);
    });
    h.s.flush();
    expect(h.exits).toEqual([0]);
  });

  it("holdAlive keeps the program up until released", () => {
    const h = harness();
    let release: () => void = () => {};
    h.s.runMain(function* () {
      release = h.s.holdAlive();
    });
    h.s.flush();
    expect(h.exits).toEqual([]);
    release();
    release(); // idempotent
    h.s.flush();
    expect(h.exits).toEqual([0]);
  });

  it("awaitPromise resumes with the value or rethrows the rejection in the process", async () => {
    const h = harness();
    const seen: unknown[] = [];
    let resolve: (v: number) => void = () => {};
    const p = new Promise<number>((r) => (resolve = r));
    h.s.runMain(function* () {
      seen.push(yield* awaitPromise(p));
      try {
        yield* awaitPromise(Promise.reject(new Error("io failed")));
      } catch (e) {
        seen.push((e as Error).message);
      }
      yield* awaitPromise(Promise.reject(new Error("unhandled io")));
    });
    h.s.flush();
    expect(h.s.pendingHolds).toBe(1);
    expect(h.exits).toEqual([]);
    resolve(7);
    await p;
    h.s.flush();
    await new Promise((r) => setImmediate(r));
    h.s.flush();
    await new Promise((r) => setImmediate(r));
    h.s.flush();
    expect(seen).toEqual([7, "io failed"]);
    expect(h.err).toEqual(["panic: unhandled io"]);
    expect(h.exits).toEqual([101]);
  });

  it("a process killed while awaiting a promise ignores its result", async () => {
    const h = harness();
    let resolve: (v: number) => void = () => {};
    const pr = new Promise<number>((r) => (resolve = r));
    const seen: unknown[] = [];
    const p = h.s.spawn(function* () {
      seen.push(yield* awaitPromise(pr));
    });
    h.s.flush();
    exit(p, "kill");
    h.s.flush();
    resolve(1);
    await pr;
    await new Promise((r) => setImmediate(r));
    h.s.flush();
    expect(seen).toEqual([]);
    expect(h.s.pendingHolds).toBe(0);
  });
});

const root = fileURLToPath(new URL("../../../", import.meta.url));
const viteNode = `${root}node_modules/.bin/vite-node`;
const fixture = fileURLToPath(new URL("./fixtures/programs.ts", import.meta.url));

function runProgram(name: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(viteNode, [fixture, name], { cwd: root, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!existsSync(viteNode))("real programs (real clock, event loop, process exit)", () => {
  it("A05: a busy process is preempted so a sleeping one wakes; exit 0", () => {
    const r = runProgram("a05");
    expect(r.stdout).toBe("pinger woke\nhog stopped\n");
    expect(r.status).toBe(0);
  });

  it("a busy process does not starve host I/O (the drain yields to the event loop)", () => {
    const r = runProgram("starve");
    expect(r.stdout).toBe("io done\nhog stopped: true\n");
    expect(r.status).toBe(0);
  });

  it("panic in main: stderr line, exit 101, output before it kept", () => {
    const r = runProgram("panic");
    expect(r.stdout).toBe("before\n");
    expect(r.stderr).toContain("panic: boom in main");
    expect(r.status).toBe(101);
  });

  it("timers, host I/O and holdAlive keep the program running; then exit 0", () => {
    const r = runProgram("timers");
    expect(r.stdout).toBe("main done\nio 42\nslept 30\nreleased\n");
    expect(r.status).toBe(0);
  });
});
