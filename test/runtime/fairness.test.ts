// Fairness (concurrency.md §1.11, §8.1–8.3): an actor spinning forever in a loop that can suspend
// (`receive … after 0` then a continuation call) is preempted, so a second process that sleeps
// 20 ms still gets to print. Run with the real CLI (`node bin/meshc.js run`, so `dist/` must be
// built) in a child process with a timeout; the child gets its own process group so the test can
// stop the compiled program (a grandchild of the test) the way Ctrl-C would, and never leaves
// it behind.
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname ?? ".", "../..");
const MESHC = join(ROOT, "bin/meshc.js");
/** Generous bound between the program's first line and the sleeper's line (20 ms asked). */
const BOUND_MS = 2000;

const HOG = `
type Ctl do
  Halt
end

actor hog(rounds :: Int) do
  receive do
    Halt -> println("hog stopped after \${rounds} rounds")
  after 0 -> hog(rounds + 1)
  end
end
`;

// The hog spins until the program is stopped from outside.
const FOREVER = `${HOG}
actor sleeper() do
  Timer.sleep(20)
  println("sleeper woke")
end

fn main() do
  println("started")
  spawn(hog, 0)
  spawn(sleeper)
end
`;

// The sleeper stops the hog itself, so the program ends on its own.
const STOPPED = `${HOG}
actor sleeper(target) do
  Timer.sleep(20)
  println("sleeper woke")
  send(target, Halt)
end

fn main() do
  println("started")
  let h = spawn(hog, 0)
  spawn(sleeper, h)
end
`;

interface Line {
  text: string;
  at: number;
}

interface Running {
  child: ChildProcess;
  lines: Line[];
  stderr: () => string;
  /** Resolves when a line equal to `text` has arrived (rejects after `ms`). */
  waitFor: (text: string, ms: number) => Promise<Line>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const groups = new Set<number>();
const dirs: string[] = [];

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  // never leave a spinning program behind, whatever failed
  for (const g of groups) if (groupAlive(g)) process.kill(-g, "SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function runProgram(source: string): Running {
  const dir = mkdtempSync(join(tmpdir(), "meshc-fairness-"));
  dirs.push(dir);
  const file = join(dir, "main.mpl");
  writeFileSync(file, source);
  const child = spawn(process.execPath, [MESHC, "run", file], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid !== undefined) groups.add(child.pid);
  const lines: Line[] = [];
  const waiters: { text: string; resolve: (l: Line) => void }[] = [];
  let buf = "";
  let err = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => {
    const at = performance.now();
    buf += d;
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const l = { text: buf.slice(0, i), at };
      buf = buf.slice(i + 1);
      lines.push(l);
      for (const w of waiters.filter((x) => x.text === l.text)) w.resolve(l);
    }
  });
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((res) =>
    child.on("exit", (code, signal) => res({ code, signal, at: performance.now() })),
  );
  const waitFor = (text: string, ms: number): Promise<Line> =>
    new Promise((res, rej) => {
      const seen = lines.find((l) => l.text === text);
      if (seen) return res(seen);
      const t = setTimeout(
        () => rej(new Error(`no line ${JSON.stringify(text)} within ${ms} ms; stdout ${JSON.stringify(lines.map((l) => l.text))}, stderr ${err}`)),
        ms,
      );
      waiters.push({
        text,
        resolve: (l) => {
          clearTimeout(t);
          res(l);
        },
      });
      void exited.then(() => {
        setTimeout(() => rej(new Error(`program exited before ${JSON.stringify(text)}; stderr ${err}`)), 50);
      });
    });
  return { child, lines, stderr: () => err, waitFor, exited };
}

describe("fairness: a spinning actor does not starve a sleeping process", () => {
  it(
    "the sleeper prints while the hog spins forever, and the program can be stopped",
    async () => {
      expect(existsSync(join(ROOT, "dist/cli/meshc.js")), "dist/ is missing: run npx tsc -p tsconfig.json").toBe(true);
      const r = runProgram(FOREVER);
      // compiling runs first (meshc run), so the clock starts at the program's first line
      const started = await r.waitFor("started", 60_000);
      const woke = await r.waitFor("sleeper woke", BOUND_MS + 5_000);
      expect(woke.at - started.at).toBeLessThan(BOUND_MS);

      // still spinning: nothing ends the program by itself
      await new Promise((res) => setTimeout(res, 200));
      expect(r.child.exitCode).toBeNull();
      expect(r.lines.map((l) => l.text)).toEqual(["started", "sleeper woke"]);

      // stopped like Ctrl-C: SIGINT to the process group (meshc and the program it runs)
      const pgid = r.child.pid!;
      const t0 = performance.now();
      process.kill(-pgid, "SIGINT");
      const ex = await Promise.race([
        r.exited,
        new Promise<null>((res) => setTimeout(() => res(null), 5_000)),
      ]);
      expect(ex, "the program did not stop within 5 s of SIGINT").not.toBeNull();
      expect(ex!.at - t0).toBeLessThan(5_000);
      for (let i = 0; i < 100 && groupAlive(pgid); i++) await new Promise((res) => setTimeout(res, 20));
      expect(groupAlive(pgid)).toBe(false);
      groups.delete(pgid);
    },
    90_000,
  );

  it(
    "the sleeper wakes in time and stops the hog; the program then exits 0",
    async () => {
      expect(existsSync(join(ROOT, "dist/cli/meshc.js")), "dist/ is missing: run npx tsc -p tsconfig.json").toBe(true);
      const r = runProgram(STOPPED);
      const started = await r.waitFor("started", 60_000);
      const woke = await r.waitFor("sleeper woke", BOUND_MS + 5_000);
      expect(woke.at - started.at).toBeLessThan(BOUND_MS);
      const ex = await Promise.race([r.exited, new Promise<null>((res) => setTimeout(() => res(null), 10_000))]);
      expect(ex, `the program did not end; stderr ${r.stderr()}`).not.toBeNull();
      expect(ex!.code).toBe(0);
      const text = r.lines.map((l) => l.text);
      expect(text.slice(0, 2)).toEqual(["started", "sleeper woke"]);
      expect(text).toHaveLength(3);
      const m = /^hog stopped after (\d+) rounds$/.exec(text[2]!);
      expect(m, text[2]).not.toBeNull();
      // the hog really spun meanwhile (one round per receive-after-0 poll)
      expect(Number(m![1])).toBeGreaterThan(1000);
      groups.delete(r.child.pid!);
    },
    90_000,
  );
});
