// The language server's incremental project model (tooling.md §2.2): after every edit of a
// sequence (body edits, exported signature changes, visibility, types and impls, syntax errors,
// a new module, qualified references without import) the incremental analysis gives the same
// diagnostics, hovers, definitions and completions as a whole-program check (checkProgram) of
// the same texts, and re-checks only the modules whose results can change. Then the same through
// the protocol: a body edit re-checks one module; an exported signature edit re-publishes the
// importers' diagnostics; reverting clears them.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NodeFileSystem } from "../../compiler/fs/file-system.js";
import { ProjectModel, type Analysis } from "../../tooling/lsp/project.js";
import { complete, hover, signatureHelp } from "../../tooling/lsp/features.js";
import { symbolAt } from "../../tooling/lsp/symbols.js";
import { TestClient } from "./lsp-client.js";

const FILES: Record<string, string> = {
  "util/text.mpl": `pub fn banner(s :: String) -> String do
  "** " <> s <> " **"
end

pub fn twice(x) do
  x <> x
end

fn hidden() -> Int do
  1
end

pub fn count(xs) do
  List.length(xs) + hidden()
end
`,
  "geometry/shapes.mpl": `import Util.Text

pub type Shape do
  Square(Int)
  Circle(Int)
end

pub struct Point do
  x :: Int
  y :: Int
end

pub interface Describe do
  fn describe(self) -> String
end

impl Describe for Point do
  fn describe(self) -> String do
    Text.banner("\${self.x},\${self.y}")
  end
end

## The area of a shape.
pub fn area(s :: Shape) -> Int do
  case s do
    Square(n) -> n * n
    Circle(r) -> 3 * r * r
  end
end

pub fn scale(s :: Shape, k :: Int) -> Shape do
  case s do
    Square(n) -> Square(n * k)
    Circle(r) -> Circle(r * k)
  end
end

service Counter do
  fn init(start :: Int) -> Int do
    start
  end
  call Get() :: Int do |n|
    (n, n)
  end
  cast Add(k :: Int) do |n|
    n + k
  end
end
`,
  "app/report.mpl": `import Geometry.Shapes
from Util.Text import twice, count

pub fn report(s) do
  let a = Shapes.area(s)
  let label = twice("a")
  "\${label}: \${a} \${count([1, 2])}"
end

pub fn origin() do
  Shapes.Point { x: 0, y: 0 }
end
`,
  "helpers.mpl": `pub fn inc(n :: Int) -> Int do
  n + 1
end
`,
  "main.mpl": `import App.Report
import Geometry.Shapes
from Geometry.Shapes import Shape, Describe, Counter

fn main() do
  let s = Square(3)
  let p = Report.origin()
  println(Report.report(s))
  println(p.describe())
  println("\${Helpers.inc(41)}")
  let c = Counter.start(1)
  Counter.add(c, 2)
  println("\${Counter.get(c)}")
end
`,
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-lsp-inc-"));
  fs.writeFileSync(path.join(dir, "mesh.toml"), '[package]\nname = "inc"\nversion = "0.1.0"\n');
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Everything the features answer, at every identifier of every file.
function observe(a: Analysis): Record<string, unknown> {
  const diags: Record<string, string[]> = {};
  for (const [file, ds] of a.diagnostics) {
    if (ds.length === 0) continue;
    diags[file] = ds.map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message} | ${d.hint ?? ""} | ${(d.secondary ?? []).map((s) => `${s.span.file}:${s.span.start}:${s.message}`).join(";")}`);
  }
  const answers: string[] = [];
  for (const [file, text] of [...a.texts].sort()) {
    for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
      for (const off of [m.index, m.index + 1]) {
        const h = hover(a, file, off);
        const s = symbolAt(a, file, off);
        answers.push(`${file}:${off} ${h ? `${h.markdown} @${h.range.start}` : "-"} ${s ? `${s.sym.name} ${s.sym.def ? `${s.sym.def.file}:${s.sym.def.span.start}` : "-"} ${s.isDef}` : "-"}`);
      }
      if (text[m.index + m[0].length] === ".") {
        const items = complete(a, file, text, m.index + m[0].length + 1);
        answers.push(`${file}:${m.index} . ${items.map((c) => `${c.label}:${c.detail ?? ""}`).join(",")}`);
      }
      if (text[m.index + m[0].length] === "(") {
        const sh = signatureHelp(a, file, text, m.index + m[0].length + 1);
        answers.push(`${file}:${m.index} ( ${sh ? sh.label : "-"}`);
      }
    }
  }
  return { diags, answers };
}

function fullCheck(texts: Record<string, string>): Analysis {
  const full = new ProjectModel(dir, new NodeFileSystem(), null, [], false);
  for (const [rel, text] of Object.entries(texts)) full.setOpen(rel, text);
  return full.analyse();
}

type Step = { what: string; file: string; edit: (t: string) => string; rechecked?: string[] };

const STEPS: Step[] = [
  { what: "body edit with a type error", file: "geometry/shapes.mpl", edit: (t) => t.replace("Square(n) -> n * n", 'Square(n) -> n * "n"'), rechecked: ["Geometry.Shapes"] },
  { what: "revert the body edit", file: "geometry/shapes.mpl", edit: (t) => t.replace('Square(n) -> n * "n"', "Square(n) -> n * n"), rechecked: ["Geometry.Shapes"] },
  { what: "whitespace only, positions move", file: "geometry/shapes.mpl", edit: (t) => "\n\n" + t, rechecked: ["Geometry.Shapes"] },
  { what: "exported signature change", file: "geometry/shapes.mpl", edit: (t) => t.replace("pub fn area(s :: Shape) -> Int do", "pub fn area(s :: Shape) -> String do"), rechecked: ["Geometry.Shapes", "App.Report", "Main"] },
  { what: "signature restored", file: "geometry/shapes.mpl", edit: (t) => t.replace("pub fn area(s :: Shape) -> String do", "pub fn area(s :: Shape) -> Int do"), rechecked: ["Geometry.Shapes", "App.Report", "Main"] },
  { what: "inferred type of an unannotated export changes", file: "util/text.mpl", edit: (t) => t.replace("  x <> x\n", "  x + x\n") },
  { what: "private function made private twice / callee made private", file: "util/text.mpl", edit: (t) => t.replace("pub fn twice", "fn twice") },
  { what: "visibility restored, unannotated body", file: "util/text.mpl", edit: (t) => t.replace("fn twice(x) do\n  x + x", "pub fn twice(x) do\n  x <> x") },
  { what: "module named by full path without import changes", file: "helpers.mpl", edit: (t) => t.replace("pub fn inc(n :: Int) -> Int", "pub fn inc(n :: String) -> Int").replace("n + 1", "1") },
  { what: "struct field added (program-wide change)", file: "geometry/shapes.mpl", edit: (t) => t.replace("  y :: Int\nend", "  y :: Int\n  z :: Int\nend") },
  { what: "impl body edit", file: "geometry/shapes.mpl", edit: (t) => t.replace('Text.banner("${self.x},${self.y}")', "self.x") },
  { what: "syntax error", file: "app/report.mpl", edit: (t) => t.replace("pub fn origin() do", "pub fn origin( do") },
  { what: "syntax error fixed, field still missing", file: "app/report.mpl", edit: (t) => t.replace("pub fn origin( do", "pub fn origin() do") },
  { what: "field supplied", file: "app/report.mpl", edit: (t) => t.replace("Shapes.Point { x: 0, y: 0 }", "Shapes.Point { x: 0, y: 0, z: 0 }") },
  { what: "helpers fixed", file: "helpers.mpl", edit: () => FILES["helpers.mpl"]! },
  { what: "a new module imported by main", file: "extra.mpl", edit: () => "pub fn seven() -> Int do\n  7\nend\n" },
  { what: "main uses it", file: "main.mpl", edit: (t) => t.replace("fn main() do\n", "import Extra\n\nfn main() do\n  println(\"${Extra.seven() + Helpers.inc(1)}\")\n") },
  { what: "service handler signature change", file: "geometry/shapes.mpl", edit: (t) => t.replace("cast Add(k :: Int) do |n|\n    n + k", "cast Add(k :: String) do |n|\n    n") },
  { what: "local edit in main", file: "main.mpl", edit: (t) => t.replace("let s = Square(3)", "let s = Square(3)\n  let unused = s"), rechecked: ["Main"] },
];

describe("incremental analysis", () => {
  it("equals a whole-program check after every edit, re-checking only what can change", () => {
    const model = new ProjectModel(dir, new NodeFileSystem());
    const texts: Record<string, string> = {};
    const first = model.analyse();
    expect(first.rechecked!.length).toBe(5);
    expect(observe(first)).toEqual(observe(fullCheck(texts)));
    for (const step of STEPS) {
      const before = texts[step.file] ?? (fs.existsSync(path.join(dir, step.file)) ? fs.readFileSync(path.join(dir, step.file), "utf8") : "");
      const after = step.edit(before);
      expect(after, step.what).not.toBe(before);
      texts[step.file] = after;
      model.setOpen(step.file, after);
      const a = model.analyse();
      const inc = observe(a);
      expect(inc, step.what).toEqual(observe(fullCheck(texts)));
      if (step.rechecked) expect([...(a.rechecked ?? [])].sort(), step.what).toEqual([...step.rechecked].sort());
    }
    // the sequence exercised errors, not only clean states
    expect(STEPS.length).toBeGreaterThan(10);
  });

  it("re-checks nothing when the texts did not change, and keeps the diagnostics", () => {
    const model = new ProjectModel(dir, new NodeFileSystem());
    model.setOpen("main.mpl", FILES["main.mpl"]!.replace("let s = Square(3)", 'let s = Square("3")'));
    const a = model.analyse();
    const b = model.analyse();
    expect(b.rechecked).toEqual([]);
    expect(observe(b)).toEqual(observe(a));
    expect(b.diagnostics.get("main.mpl")!.map((d) => d.code)).toEqual(["E0001"]);
  });
});

describe("incremental analysis through the protocol", () => {
  let client: TestClient;
  beforeAll(async () => {
    client = new TestClient(dir);
    await client.initialize();
  });
  afterAll(() => client.dispose());

  type Info = { version: number; rechecked: string[] | null; modules: number };
  const info = () => client.conn.sendRequest<Info>("meshc/analysisInfo", { uri: client.uri("main.mpl") });

  it("re-checks only the edited module for a body edit; a signature edit reaches the importers; reverting clears", async () => {
    // start from the files on disk (the model test above changed nothing on disk)
    await client.open("geometry/shapes.mpl", FILES["geometry/shapes.mpl"]!);
    // a clean project publishes nothing: wait for the first analysis through the info request
    for (let i = 0; i < 100 && (await info()) === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await info()).modules).toBe(5);

    // a body edit: `n * n` -> `n * "n"`: only Geometry.Shapes is re-checked
    const lines = FILES["geometry/shapes.mpl"]!.split("\n");
    const bodyLine = lines.findIndex((l) => l.includes("Square(n) -> n * n"));
    const col = lines[bodyLine]!.indexOf("n * n") + 4;
    const broken = client.nextDiagnostics("geometry/shapes.mpl", (p) => p.diagnostics.length > 0);
    await client.change("geometry/shapes.mpl", { start: { line: bodyLine, character: col }, end: { line: bodyLine, character: col + 1 } }, '"n"');
    const p = await broken;
    expect(p.diagnostics.map((d) => d.code)).toEqual(["E0001"]);
    expect(p.diagnostics[0]!.range.start.line).toBe(bodyLine);
    expect((await info()).rechecked).toEqual(["Geometry.Shapes"]);
    const fixed = client.nextDiagnostics("geometry/shapes.mpl", (q) => q.diagnostics.length === 0);
    await client.change("geometry/shapes.mpl", { start: { line: bodyLine, character: col }, end: { line: bodyLine, character: col + 3 } }, "n");
    await fixed;
    expect((await info()).rechecked).toEqual(["Geometry.Shapes"]);

    // an exported signature edit: `area` returns String (its own body breaks); App.Report and
    // Main import Geometry.Shapes, so both are re-checked; Util.Text and Helpers are not
    const sigLine = lines.findIndex((l) => l.startsWith("pub fn area("));
    const retCol = lines[sigLine]!.indexOf("Int do");
    const sigBroken = client.nextDiagnostics("geometry/shapes.mpl", (q) => q.diagnostics.length > 0);
    await client.change("geometry/shapes.mpl", { start: { line: sigLine, character: retCol }, end: { line: sigLine, character: retCol + 3 } }, "String");
    await sigBroken;
    expect([...(await info()).rechecked!].sort()).toEqual(["App.Report", "Geometry.Shapes", "Main"]);

    // `area` takes a Point: App.Report's unannotated `report(s)` now infers `Point -> String`
    // (its fingerprint changes), so Main's `Report.report(Square(3))` breaks: transitive
    const paramCol = lines[sigLine]!.indexOf("Shape)");
    const mainBroken = client.nextDiagnostics("main.mpl", (q) => q.diagnostics.length > 0);
    await client.change("geometry/shapes.mpl", { start: { line: sigLine, character: paramCol }, end: { line: sigLine, character: paramCol + 5 } }, "Point");
    const mb = await mainBroken;
    expect(mb.diagnostics.map((d) => d.code)).toEqual(["E0001"]);
    expect(mb.diagnostics[0]!.message).toMatch(/Point/);
    expect([...(await info()).rechecked!].sort()).toEqual(["App.Report", "Geometry.Shapes", "Main"]);

    // revert both edits: every importer's diagnostics clear
    const cleared = Promise.all([
      client.nextDiagnostics("main.mpl", (q) => q.diagnostics.length === 0),
      client.nextDiagnostics("geometry/shapes.mpl", (q) => q.diagnostics.length === 0),
    ]);
    await client.change("geometry/shapes.mpl", { start: { line: sigLine, character: 0 }, end: { line: sigLine + 1, character: 0 } }, lines[sigLine]! + "\n");
    await cleared;
    expect([...(await info()).rechecked!].sort()).toEqual(["App.Report", "Geometry.Shapes", "Main"]);
  });
});
