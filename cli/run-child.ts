// The program process of `meshc run`. The CLI starts it before compiling, so that Node's start-up
// and the loading of the runtime (both as long as compiling a small program) overlap with the
// compilation. It then waits for one line on file descriptor 3: the path of the compiled entry
// module, which it imports (running the program); an empty line or end of file means the
// compilation failed, and it exits quietly. Started as
//   node --stack-size=<STACK_KB> run-child.js <runtime URL> <program args...>
// and removes the URL from process.argv, so that the program's process.argv.slice(2) are its
// arguments, as under the launcher.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// node:fs without its ES-module facade, which would load Node's streams (see runtime/core/node-builtin.ts).
const fs = (process.getBuiltinModule?.("node:fs") ?? createRequire(import.meta.url)("node:fs")) as typeof import("node:fs");

// The same URL the compiled modules import (cli/meshc.ts: RUNTIME_URL), hence the same instance.
// It is the first argument; removing it leaves the program its own arguments in argv.slice(2).
const [runtimeUrl] = process.argv.splice(2, 1);
await import(runtimeUrl!);

// Read with fs.read on the thread pool until end of file, not with a ReadStream (Node's streams
// would add ~5 ms to the start-up); EAGAIN, should the descriptor be non-blocking, is retried.
// Closed at its end.
const main = await new Promise<string>((resolve) => {
  const parts: Buffer[] = [];
  const buf = Buffer.alloc(4096);
  const next = (): void =>
    fs.read(3, buf, 0, buf.length, null, (e, n) => {
      if (e?.code === "EAGAIN") return void setTimeout(next, 1);
      if (e) return resolve(""); // the CLI went away
      if (n > 0) {
        parts.push(Buffer.from(buf.subarray(0, n)));
        return next();
      }
      fs.close(3, () => {});
      resolve(Buffer.concat(parts).toString("utf8").split("\n")[0] ?? "");
    });
  next();
});
if (main === "") process.exit(0);
await import(pathToFileURL(main).href);
