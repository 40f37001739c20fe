// The runtime side of `meshc repl` (tooling.md §3.4): a Node process started by the REPL with an
// IPC channel. One scheduler and one long-lived Mesh process (the REPL process) live for the whole
// session. Each request names a compiled step module and its step function; the module is imported
// here and the function runs as the next step of the REPL process, with the session's bound
// values (kept in `env`) as arguments, so `self()` is stable, processes spawned earlier keep
// running, and bindings keep their real values. Requests (JSON over IPC):
//   { id, file, fn, args: [names], bind: [names], show }  →  { id, ok: true, text? } | { id, ok: false, error }
// The runtime never imports the compiler: the REPL compiles, this process only loads and runs.
import { pathToFileURL } from "node:url";
import { inspect } from "../index.js";
import { spawn, send, receive, deepCall, onExit, type Pid } from "../sched/index.js";
import { flushStdout } from "../stdlib/index.js";
import { ExitNow, reasonOf } from "../sched/errors.js";

interface Request {
  readonly id: number;
  readonly file: string;
  readonly fn: string;
  readonly args: readonly string[];
  readonly bind: readonly string[];
  readonly show: boolean;
}

type Reply = { id: number; ok: true; text?: string } | { id: number; ok: false; error: string };

/** A step handed to the REPL process (a message class no Mesh code can build or match). */
class Step {
  constructor(
    readonly req: Request,
    readonly fn: Function,
  ) {}
}

const env = new Map<string, unknown>();
let host: Pid | null = null;
let current: Request | null = null; // sent to the REPL process, not answered yet

function reply(r: Reply): void {
  current = null;
  flushStdout(); // the step's output precedes its result line
  process.send?.(r);
}

const takeStep = (m: unknown) => (m instanceof Step ? m : undefined);

// The REPL process: takes one step at a time; a panic ends the step, not the process.
function* replProcess(): Generator<unknown, unknown, unknown> {
  for (;;) {
    const step = (yield* receive(takeStep, -1)) as Step;
    const { req } = step;
    let result: unknown;
    try {
      result = yield* deepCall(step.fn, req.args.map((n) => env.get(n)));
    } catch (e) {
      if (e instanceof ExitNow) throw e; // an exit signal ends the REPL process (see startHost)
      reply({ id: req.id, ok: false, error: reasonOf(e) });
      continue;
    }
    const value = req.bind.length === 0 ? result : (result as unknown[])[0];
    req.bind.forEach((n, i) => env.set(n, (result as unknown[])[i + 1]));
    let text: string | undefined;
    try {
      if (req.show && typeof value !== "function") text = inspect(value);
    } catch (e) {
      text = undefined;
      process.stderr.write(`Error: ${reasonOf(e)}\n`);
    }
    reply({ id: req.id, ok: true, ...(text !== undefined ? { text } : {}) });
  }
}

// (Re)starts the REPL process; if an exit signal ends it (a linked process crashed), the step it
// was running or about to run fails with that reason and a fresh REPL process takes the next steps.
function startHost(): void {
  const pid = spawn(replProcess, []);
  host = pid;
  onExit(pid, (reason) => {
    if (host === pid) host = null;
    const r = current;
    if (r !== null) reply({ id: r.id, ok: false, error: `the REPL process exited: ${reason}` });
    else process.stderr.write(`Error: the REPL process exited: ${reason}\n`);
  });
}

/** Takes requests from the REPL over the IPC channel. */
function serveRepl(): void {
  process.on("message", (msg: unknown) => {
    const req = msg as Request;
    import(pathToFileURL(req.file).href).then(
      (mod: Record<string, unknown>) => {
        const fn = mod[req.fn];
        if (typeof fn !== "function") return reply({ id: req.id, ok: false, error: `step function ${req.fn} missing` });
        if (host === null) startHost();
        current = req;
        send(host!, new Step(req, fn));
      },
      (e: unknown) => reply({ id: req.id, ok: false, error: reasonOf(e) }),
    );
  });
  // The REPL went away: end the session (and every process in it).
  process.on("disconnect", () => process.exit(0));
  startHost();
}

// Only as the REPL's child: importing this module elsewhere (e.g. to list the runtime's layers)
// must not take over the process's IPC channel.
if (process.env.MESH_REPL_HOST === "1") serveRepl();
