// The REPL's connection to its runtime (tooling.md §3.4): one long-lived Node process running
// runtime/repl-host.js (one scheduler, one REPL Mesh process) for the whole session, spoken to
// over an IPC channel. A step names a compiled module file and its step function; the answer is
// the result's Debug text or the runtime error. The process shares the REPL's stdout and stderr,
// so program output reaches the terminal directly and ahead of the result line.
import { spawn, type ChildProcess } from "node:child_process";

export interface StepRequest {
  readonly file: string; // absolute path of the generated module
  readonly fn: string; // exported step function
  readonly args: readonly string[]; // bound names passed as arguments, in order
  readonly bind: readonly string[]; // names the step binds (its result is (value, b1, b2, …))
  readonly show: boolean; // answer with the value's Debug text
}

export type StepResult = { ok: true; text?: string } | { ok: false; error: string };

export class ReplRuntime {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (r: StepResult) => void>();
  /** Called when the runtime process ends on its own (its processes and values are gone). */
  onLost: (why: string) => void = () => {};

  constructor(
    private readonly hostFile: string,
    private readonly stackKb: number,
  ) {}

  private start(): ChildProcess {
    const child = spawn(process.execPath, [`--stack-size=${this.stackKb}`, this.hostFile], { stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, MESH_REPL_HOST: "1" } });
    child.on("message", (m: { id: number } & StepResult) => {
      const done = this.pending.get(m.id);
      this.pending.delete(m.id);
      done?.(m.ok ? { ok: true, ...(m.text !== undefined ? { text: m.text } : {}) } : { ok: false, error: m.error });
    });
    child.on("error", () => {}); // reported through "exit"
    child.on("exit", (code, signal) => {
      if (this.child !== child) return; // stopped on purpose
      this.child = null;
      const why = signal ? `the REPL runtime was killed (${signal})` : `the REPL runtime exited with status ${code}`;
      this.failPending(why);
      this.onLost(why);
    });
    this.child = child;
    return child;
  }

  private failPending(error: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const done of waiting) done({ ok: false, error });
  }

  /** Starts the runtime process ahead of the first step (its start-up overlaps the first compile). */
  warm(): void {
    if (this.child === null) this.start();
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  run(req: StepRequest): Promise<StepResult> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.send({ id, ...req });
    });
  }

  /** Ends the runtime process and every Mesh process in it; a later step starts a fresh one. */
  stop(why = "interrupted"): void {
    const child = this.child;
    this.child = null;
    if (child !== null) child.kill("SIGKILL");
    this.failPending(why);
  }
}
