// Multi-process harness for the distribution tests: builds node programs under
// test/dist/programs/ with the real CLI (into temporary copies, with the spec's fixed ports
// replaced by free ones), starts each node as its own OS process, collects its stdout/stderr, and
// offers bounded waits on exact lines. Every child is killed by stopNodes() (call it from
// afterAll), also when a test fails half-way.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, MESHC, ROOT, runProcess, Stream, withTimeout } from "../e2e/harness.js";

export { freePort, withTimeout, ROOT };
export const DIST_PROGRAMS = path.join(ROOT, "test/dist/programs");

const tmpDirs: string[] = [];

/** Replaces every key of `subst` (whole words) by its value. */
export function substitute(text: string, subst: Record<string, string>): string {
  const keys = Object.keys(subst);
  if (keys.length === 0) return text;
  const re = new RegExp(`\\b(${keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b`, "g");
  return text.replace(re, (k) => subst[k]!);
}

/** Copies programs/<rel> (a directory with main.mpl) to a temp dir, applies `subst` to every
 * .mpl file, builds it with `meshc build` and returns the launcher path. */
export async function buildNode(rel: string, subst: Record<string, string> = {}): Promise<string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-dist-"));
  tmpDirs.push(tmp);
  const name = path.basename(rel);
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(DIST_PROGRAMS, rel), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}_build`) });
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith(".mpl")) {
      const p = path.join(dir, f);
      fs.writeFileSync(p, substitute(fs.readFileSync(p, "utf8"), subst));
    }
  }
  const r = await runProcess(process.execPath, [MESHC, "build", dir], { env: { NO_COLOR: "1" }, timeoutMs: 60_000 });
  if (r.status !== 0) throw new Error(`meshc build ${rel} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  const launcher = path.join(dir, name);
  if (!fs.existsSync(launcher)) throw new Error(`meshc build ${rel} wrote no launcher at ${launcher}`);
  return launcher;
}

/** Distinct free loopback ports, one per key (e.g. the spec's port numbers). */
export async function freePorts(keys: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const used = new Set<number>();
  for (const k of keys) {
    let p = await freePort();
    while (used.has(p)) p = await freePort();
    used.add(p);
    out[k] = String(p);
  }
  return out;
}

export { Stream };

const children = new Set<ChildProcess>();

/** One running node program. */
export class NodeProc {
  readonly stdout = new Stream();
  readonly stderr = new Stream();
  exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** performance.now() at which each stdout line arrived, in order */
  readonly lineTimes: { line: string; at: number }[] = [];

  constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    let partial = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      const now = performance.now();
      partial += d;
      const parts = partial.split("\n");
      partial = parts.pop()!;
      for (const l of parts) this.lineTimes.push({ line: l, at: now });
      this.stdout.push(d);
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => this.stderr.push(d));
    this.done = new Promise((resolve) => {
      child.on("close", (code, signal) => {
        this.exited = { code, signal };
        this.stdout.push("");
        this.stderr.push("");
        resolve(this.exited);
      });
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Waits until stdout has `line` as a complete line (`count` times). */
  waitLine(line: string, ms = 10_000, count = 1): Promise<void> {
    return this.explain(this.stdout.waitFor((ls) => ls.filter((l) => l === line).length >= count, ms, `${this.label} stdout line ${JSON.stringify(line)}`, () => !this.alive));
  }

  /** Adds this node's stderr to a failed wait's message. */
  private explain<T>(p: Promise<T>): Promise<T> {
    return p.catch((e: Error) => {
      throw new Error(`${e.message}\n--- ${this.label} stderr ---\n${this.stderr.text}`);
    });
  }

  /** Waits until some complete stdout line matches `re`; resolves with it. */
  async waitMatch(re: RegExp, ms = 10_000): Promise<string> {
    await this.explain(this.stdout.waitFor((ls) => ls.some((l) => re.test(l)), ms, `${this.label} stdout line matching ${re}`, () => !this.alive));
    return this.stdout.lines.find((l) => re.test(l))!;
  }

  /** Waits until some complete stderr line matches `re`; resolves with it. */
  async waitStderr(re: RegExp, ms = 10_000): Promise<string> {
    await this.stderr.waitFor((ls) => ls.some((l) => re.test(l)), ms, `${this.label} stderr line matching ${re}`, () => !this.alive);
    return this.stderr.lines.find((l) => re.test(l))!;
  }

  /** When (performance.now()) the first stdout line equal to `line` arrived, or undefined. */
  timeOf(line: string): number | undefined {
    return this.lineTimes.find((t) => t.line === line)?.at;
  }

  /** Waits for the process to exit (bounded). */
  exit(ms = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return withTimeout(this.done, ms, `${this.label} to exit; stdout so far:\n${this.stdout.text}\nstderr:\n${this.stderr.text}`);
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  /** SIGTERM (SIGKILL after 3 s), waits for the exit. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const hard = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    this.child.kill("SIGCONT");
    this.child.kill("SIGTERM");
    await this.done;
    clearTimeout(hard);
  }

  describe(): string {
    return `--- ${this.label} stdout ---\n${this.stdout.text}--- ${this.label} stderr ---\n${this.stderr.text}`;
  }
}

/** Starts a built node program. */
export function startNode(label: string, launcher: string, env: Record<string, string> = {}): NodeProc {
  const child = spawn(launcher, [], { env: { ...process.env, NO_COLOR: "1", ...env }, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.on("close", () => children.delete(child));
  return new NodeProc(label, child);
}

const WARM_START = path.join(ROOT, "test/dist/warm-start.mjs");

/** Starts a built node program's Node.js process with the runtime loaded but `main` not yet
 * running (warm-start.mjs); `go()` runs the program. Lets a test start a node's program right
 * after another node's ready line without Node.js start-up in between (the spec's scenarios
 * give the second node only a few seconds, which a loaded 2-core machine can eat). */
export async function startWarm(label: string, launcher: string, env: Record<string, string> = {}): Promise<{ node: NodeProc; go: () => void }> {
  const main = path.join(path.dirname(launcher), "_build/main.js");
  const child = spawn(process.execPath, ["--stack-size=4000", WARM_START, main], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  children.add(child);
  child.on("close", () => children.delete(child));
  const node = new NodeProc(label, child);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("close", () => reject(new Error(`${label} exited while warming up:\n${node.stderr.text}`)));
    }),
    30_000,
    `${label} to warm up`,
  );
  return { node, go: () => child.send("go") };
}

/** Kills every node still running and removes the temporary builds. */
export async function stopNodes(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("close", () => resolve());
          c.kill("SIGCONT");
          c.kill("SIGKILL");
        }),
    ),
  );
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Node names `<key>@127.0.0.1:<free port>`, one per key. */
export async function nodeNames(keys: string[]): Promise<Record<string, string>> {
  const ports = await freePorts(keys);
  return Object.fromEntries(keys.map((k) => [k, `${k}@127.0.0.1:${ports[k]}`]));
}

/** The stdout text of these lines. */
export function lines(...ls: string[]): string {
  return ls.map((l) => l + "\n").join("");
}

/** Every node's output, for assertion messages. */
export const all = (...ps: NodeProc[]): string => ps.map((p) => p.describe()).join("\n");
