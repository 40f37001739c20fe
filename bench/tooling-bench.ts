// Developer-tooling benchmarks (tooling.md §1, §2.5), a section of `npm run bench`: `meshc fmt`
// throughput over every .mpl file of the repository (against parsing alone, measured in the same
// run), and the language server on the §2.5 workload (50 modules x 100 lines, each importing three
// others) driven in-process through the real protocol: keystroke-to-diagnostics p95 for a body
// edit and for an exported-signature edit, request latencies, start-up, and memory over edits.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { pathToFileURL } from "node:url";
import { createConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node.js";
import { createMessageConnection } from "vscode-jsonrpc/node.js";
import { formatSource } from "../compiler/format/format.js";
import { parseModule } from "../compiler/syntax/parse.js";
import { startServer } from "../tooling/lsp/server.js";
import type { Row } from "./measure.js";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

function mplFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".") || e.name === "node_modules" || e.name === "dist" || e.name === "_build") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) mplFiles(p, out);
    else if (e.name.endsWith(".mpl")) out.push(p);
  }
  return out;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

function fmtRows(): Row[] {
  const texts = mplFiles(ROOT).map((f) => fs.readFileSync(f, "utf8"));
  const lines = texts.reduce((n, t) => n + t.split("\n").length, 0);
  const pass = (f: (t: string) => unknown) => {
    f(texts[0]!);
    const t0 = performance.now();
    for (const t of texts) f(t);
    return performance.now() - t0;
  };
  pass((t) => formatSource(t)); // warm-up
  const fmt = Math.min(pass((t) => formatSource(t)), pass((t) => formatSource(t)));
  const parse = Math.min(pass((t) => parseModule("x.mpl", t, "X")), pass((t) => parseModule("x.mpl", t, "X")));
  return [
    { name: `fmt of the repository, warm in-process (${texts.length} files, ${lines} lines, safety check included)`, ours: lines / (fmt / 1000), baseline: lines / (parse / 1000), unit: "lines/s (baseline: parse only)" },
  ];
}

// §2.5: 50 modules of ~100 lines; module i imports the three before it.
export function generateLspProject(dir: string): { bodyFile: string; sigFile: string } {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "lib"), { recursive: true });
  fs.writeFileSync(path.join(dir, "mesh.toml"), '[package]\nname = "bench"\nversion = "0.1.0"\n');
  for (let i = 0; i < 50; i++) {
    const l: string[] = [];
    const deps = [i - 1, i - 2, i - 3].filter((j) => j >= 0);
    for (const j of deps) l.push(`import Lib.M${j}`);
    l.push("");
    for (let k = 0; l.length < 96; k++) {
      const call = deps.length > 0 ? `M${deps[0]}.f${deps[0]}_${k % 3}(n)` : "n";
      l.push(
        `pub fn f${i}_${k}(n :: Int) -> Int do`,
        `  let xs = List.map([n, ${k}, ${i}], fn x -> x * 2 end)`,
        `  let total = List.reduce(xs, 0, fn a, b -> a + b end)`,
        `  let label = "m${i} f${k}: \${total}"`,
        `  if String.length(label) > 3 do`,
        `    total + ${call}`,
        `  else`,
        `    0`,
        `  end`,
        `end`,
        ``,
      );
    }
    // the body edited by the keystroke benchmark (a type error, so diagnostics are published)
    if (i === 25) l.push(`fn edited(n :: Int) -> Int do`, `  let bad = n + "x"`, `  n`, `end`, ``);
    fs.writeFileSync(path.join(dir, `lib/m${i}.mpl`), l.join("\n"));
  }
  fs.writeFileSync(path.join(dir, "main.mpl"), `import Lib.M49\n\nfn main() do\n  println("\${M49.f49_0(1)}")\nend\n`);
  return { bodyFile: "lib/m25.mpl", sigFile: "lib/m10.mpl" };
}

export async function lspRows(): Promise<Row[]> {
  const dir = path.join(os.tmpdir(), "meshc-bench-lsp");
  const { bodyFile, sigFile } = generateLspProject(dir);
  const c2s = new PassThrough();
  const s2c = new PassThrough();
  startServer(createConnection(new StreamMessageReader(c2s), new StreamMessageWriter(s2c)));
  const client = createMessageConnection(new StreamMessageReader(s2c), new StreamMessageWriter(c2s));
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  let waiters: { uris: Set<string>; resolve: () => void }[] = [];
  client.onNotification("textDocument/publishDiagnostics", (p: { uri: string }) => {
    for (const w of waiters) w.uris.delete(p.uri);
    waiters = waiters.filter((w) => (w.uris.size === 0 ? (w.resolve(), false) : true));
  });
  client.listen();
  const keepAlive = setInterval(() => {}, 1000); // in-memory pipes do not keep the event loop alive
  const published = (uris: string[]) => new Promise<void>((resolve) => waiters.push({ uris: new Set(uris), resolve }));

  const t0 = performance.now();
  await client.sendRequest("initialize", { processId: null, rootUri: pathToFileURL(dir).href, capabilities: {} });
  await client.sendNotification("initialized", {});
  const bodyText = fs.readFileSync(path.join(dir, bodyFile), "utf8");
  const first = published([uri(bodyFile)]);
  await client.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(bodyFile), languageId: "mesh", version: 1, text: bodyText } });
  await first;
  const startup = performance.now() - t0;

  // keystrokes in a function body: the error's column moves, so every edit publishes
  const badLine = bodyText.split("\n").findIndex((l) => l.includes('let bad = n + "x"'));
  const body: number[] = [];
  let version = 1;
  const heap0 = process.memoryUsage().heapUsed;
  // the first 10 keystrokes warm the JIT up and are not measured (a session has thousands)
  for (let i = -10; i < 60; i++) {
    const text = (i + 10) % 2 === 0 ? " " : "";
    const range = (i + 10) % 2 === 0 ? { start: { line: badLine, character: 12 }, end: { line: badLine, character: 12 } } : { start: { line: badLine, character: 12 }, end: { line: badLine, character: 13 } };
    const done = published([uri(bodyFile)]);
    const t = performance.now();
    await client.sendNotification("textDocument/didChange", { textDocument: { uri: uri(bodyFile), version: ++version }, contentChanges: [{ range, text }] });
    await done;
    if (i >= 0) body.push(performance.now() - t);
  }

  // an exported signature that breaks / fixes its importer
  const sigText = fs.readFileSync(path.join(dir, sigFile), "utf8");
  await client.sendNotification("textDocument/didOpen", { textDocument: { uri: uri(sigFile), languageId: "mesh", version: 1, text: sigText } });
  const sigLine = sigText.split("\n").findIndex((l) => l.startsWith("pub fn f10_0("));
  // f10_0 is called by m11; m10's own body breaks too
  const importers = [sigFile, "lib/m11.mpl"].map(uri);
  const sig: number[] = [];
  let sv = 1;
  for (let i = -4; i < 30; i++) {
    const broken = (i + 4) % 2 === 0;
    const done = published(importers);
    const t = performance.now();
    await client.sendNotification("textDocument/didChange", {
      textDocument: { uri: uri(sigFile), version: ++sv },
      contentChanges: [{ range: { start: { line: sigLine, character: 18 }, end: { line: sigLine, character: broken ? 21 : 24 } }, text: broken ? "String" : "Int" }],
    });
    await done;
    if (i >= 0) sig.push(performance.now() - t); // the first 4 warm up
  }

  // requests on the settled analysis
  const at = (line: number, character: number) => ({ textDocument: { uri: uri(bodyFile) }, position: { line, character } });
  const callLine = bodyText.split("\n").findIndex((l) => l.includes("M24.f24_0(n)"));
  const col = bodyText.split("\n")[callLine]!.indexOf("f24_0") + 2;
  const req: Record<string, number[]> = { hover: [], definition: [], completion: [], signatureHelp: [] };
  for (let i = 0; i < 40; i++) {
    for (const [name, method, pos] of [
      ["hover", "textDocument/hover", at(callLine, col)],
      ["definition", "textDocument/definition", at(callLine, col)],
      ["completion", "textDocument/completion", at(callLine, col)],
      ["signatureHelp", "textDocument/signatureHelp", at(callLine, col + 5)],
    ] as const) {
      const t = performance.now();
      await client.sendRequest(method, pos);
      req[name]!.push(performance.now() - t);
    }
  }

  // memory: 1,000 edits (each moves the error further, so every 50th surely publishes and is waited for)
  for (let i = 0; i < 1000; i++) {
    const text = " ";
    const range = { start: { line: badLine, character: 12 }, end: { line: badLine, character: 12 } };
    const done = i % 50 === 49 ? published([uri(bodyFile)]) : null;
    await client.sendNotification("textDocument/didChange", { textDocument: { uri: uri(bodyFile), version: ++version }, contentChanges: [{ range, text }] });
    if (done) await done;
  }
  await new Promise((r) => setTimeout(r, 100));
  (globalThis as { gc?: () => void }).gc?.();
  const heapGrowth = (process.memoryUsage().heapUsed - heap0) / 1e6;
  client.dispose();
  clearInterval(keepAlive);
  fs.rmSync(dir, { recursive: true, force: true });
  return [
    { name: "lsp: initialize -> first diagnostics (50 modules, 5,000 lines)", ours: startup, baseline: null, unit: "ms", target: "<= 2000" },
    { name: "lsp: keystroke in a function body -> diagnostics, p95", ours: p95(body), baseline: null, unit: "ms", target: "<= 100" },
    { name: "lsp: exported signature edit -> diagnostics of all importers, p95", ours: p95(sig), baseline: null, unit: "ms", target: "<= 100 (MUST <= 250)" },
    ...Object.entries(req).map(([k, v]) => ({ name: `lsp: ${k} p95`, ours: p95(v), baseline: null, unit: "ms", target: "<= 50" })),
    { name: "lsp: heap growth over 1,000 edits", ours: heapGrowth, baseline: null, unit: "MB" },
  ];
}

export async function run(): Promise<Row[]> {
  return [...fmtRows(), ...(await lspRows())];
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { printRows } = await import("./measure.js");
  printRows("developer tooling", await run());
  process.exit(0);
}
