// The program process of `meshc run`. The CLI starts it before compiling, so that Node's start-up
// and the loading of the runtime (both as long as compiling a small program) overlap with the
// compilation. It then waits for one line on file descriptor 3: the path of the compiled entry
// module, which it imports (running the program); an empty line or end of file means the
// compilation failed, and it exits quietly. Started as
//   node --stack-size=<STACK_KB> run-child.js <program args...>
// so that the program's process.argv.slice(2) are its arguments, as under the launcher.
import * as fs from "node:fs";
import { pathToFileURL } from "node:url";

// The same URL the compiled modules import (cli/meshc.ts: RUNTIME_URL), hence the same instance.
await import(new URL("../runtime/index.js", import.meta.url).href);

// Read as a stream: works whether the descriptor is blocking or not; closed at its end.
const main = await new Promise<string>((resolve) => {
  let text = "";
  const entry = fs.createReadStream("", { fd: 3, encoding: "utf8" });
  entry.on("data", (d) => (text += d));
  entry.on("end", () => resolve(text.split("\n")[0] ?? ""));
  entry.on("error", () => resolve("")); // the CLI went away
});
if (main === "") process.exit(0);
await import(pathToFileURL(main).href);
