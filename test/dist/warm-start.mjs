// Starts a compiled Mesh program in two steps so a test can begin its `main` at a precise moment
// without paying Node.js start-up and runtime loading then: loads the runtime module that the
// program's _build/main.js imports, reports "warm" over the IPC channel, and on "go" imports
// main.js (which runs the program) and drops the channel so it does not keep the process alive.
// Usage: node --stack-size=4000 warm-start.mjs <path to _build/main.js>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const main = process.argv[2];
const runtime = /from "([^"]+\/runtime\/index\.js)"/.exec(readFileSync(main, "utf8"));
if (runtime) await import(runtime[1]);
process.once("message", (m) => {
  if (m !== "go") return;
  process.disconnect();
  void import(pathToFileURL(main).href);
});
process.send("warm");
