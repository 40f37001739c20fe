// The language server driven through the real protocol by an in-process client over a pipe, on a
// multi-module project on disk: diagnostics (equal to `meshc check`), hover, definition across
// modules, completion after `Mod.` and `value.`, signature help, symbols, references, rename,
// formatting.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TestClient } from "./lsp-client.js";
import { compileSources } from "../../compiler/compile.js";
import { loadSources } from "../../compiler/analyse/project.js";
import { NodeFileSystem } from "../../compiler/fs/file-system.js";

const SHAPES = `pub type Shape do
  Square(Int)
  Circle(Int)
end

pub struct Point do
  x :: Int
  y :: Int
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
`;

const TEXT = `pub fn banner(s :: String) -> String do
  "** " <> s <> " **"
end
`;

const MAIN = `from Geometry.Shapes import Shape, area, scale
import Geometry.Shapes
import Util.Text

fn main() do
  let s = Square(3)
  let p = Shapes.Point { x: 1, y: 2 }
  println(Text.banner("area \${area(s)}"))
  println("\${area(scale(s, 2))} \${p.x}")
end
`;

let dir: string;
let client: TestClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "meshc-lsp-"));
  fs.writeFileSync(path.join(dir, "mesh.toml"), '[package]\nname = "demo"\nversion = "0.1.0"\n\n[dependencies]\n');
  fs.mkdirSync(path.join(dir, "geometry"));
  fs.mkdirSync(path.join(dir, "util"));
  fs.writeFileSync(path.join(dir, "geometry/shapes.mpl"), SHAPES);
  fs.writeFileSync(path.join(dir, "util/text.mpl"), TEXT);
  fs.writeFileSync(path.join(dir, "main.mpl"), MAIN);
  client = new TestClient(dir);
  const init = await client.initialize();
  expect(init.capabilities["completionProvider"]).toEqual({ triggerCharacters: ["."], resolveProvider: false });
  expect(init.capabilities["renameProvider"]).toEqual({ prepareProvider: true });
});

afterAll(() => {
  client.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Loc = { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };

describe("language server", () => {
  it("publishes no diagnostics for a project that checks (imports of project modules resolve)", async () => {
    const first = client.nextDiagnostics("main.mpl");
    await client.open("main.mpl", MAIN);
    // a clean project publishes nothing; prove the analysis ran with an error round trip below
    const broken = client.nextDiagnostics("main.mpl", (p) => p.diagnostics.length > 0);
    await client.change("main.mpl", { start: { line: 5, character: 10 }, end: { line: 5, character: 19 } }, 'area("x")');
    const p = await broken;
    void first;
    // the same diagnostics as `meshc check` on the same contents
    const files = loadSources(new NodeFileSystem(), dir).map((f) => (f.file === "main.mpl" ? { ...f, text: MAIN.replace("Square(3)", 'area("x")') } : f));
    const cli = compileSources(files, { runtimeImport: "x", generate: false, requireMain: true });
    const expected = cli.diagnostics.filter((d) => d.span.file === "main.mpl").map((d) => d.code + ": " + d.message + (d.hint ? `\nhint: ${d.hint}` : ""));
    expect(expected.length).toBeGreaterThan(0);
    expect(p.diagnostics.map((d) => d.code + ": " + d.message)).toEqual(expected);
    expect(p.diagnostics[0]!.source).toBe("mesh");
    expect(p.diagnostics[0]!.range.start.line).toBe(5);
    // undo: diagnostics are cleared
    const cleared = client.nextDiagnostics("main.mpl", (q) => q.diagnostics.length === 0);
    await client.change("main.mpl", { start: { line: 5, character: 10 }, end: { line: 5, character: 19 } }, "Square(3)");
    await cleared;
  });

  it("hovers with inferred types and signatures", async () => {
    const local = await client.request<{ contents: { value: string } }>("textDocument/hover", "main.mpl", 5, 6);
    expect(local.contents.value).toBe("```mesh\ns :: Shape\n```");
    const fn = await client.request<{ contents: { value: string } }>("textDocument/hover", "main.mpl", 7, 33);
    expect(fn.contents.value).toBe("```mesh\npub fn area(s :: Shape) -> Int\n```\n\nThe area of a shape.");
    const mod = await client.request<{ contents: { value: string } }>("textDocument/hover", "main.mpl", 1, 10);
    expect(mod.contents.value).toBe("```mesh\nmodule Geometry.Shapes\n```");
  });

  it("goes to definitions across modules", async () => {
    const area = await client.request<Loc>("textDocument/definition", "main.mpl", 7, 33);
    expect(area.uri).toBe(client.uri("geometry/shapes.mpl"));
    expect(area.range.start).toEqual({ line: 11, character: 7 });
    const variant = await client.request<Loc>("textDocument/definition", "main.mpl", 5, 11);
    expect(variant.uri).toBe(client.uri("geometry/shapes.mpl"));
    expect(variant.range).toEqual({ start: { line: 1, character: 2 }, end: { line: 1, character: 8 } });
    const banner = await client.request<Loc>("textDocument/definition", "main.mpl", 7, 16);
    expect(banner.uri).toBe(client.uri("util/text.mpl"));
    expect(banner.range.start).toEqual({ line: 0, character: 7 });
    const local = await client.request<Loc>("textDocument/definition", "main.mpl", 7, 35);
    expect(local.range).toEqual({ start: { line: 5, character: 6 }, end: { line: 5, character: 7 } });
    const field = await client.request<Loc>("textDocument/definition", "main.mpl", 8, 36);
    expect(field.uri).toBe(client.uri("geometry/shapes.mpl"));
    expect(field.range.start).toEqual({ line: 6, character: 2 });
    // on the defining occurrence, a keyword, or a stdlib name: nothing
    expect(await client.request("textDocument/definition", "main.mpl", 5, 6)).toEqual([]);
    expect(await client.request("textDocument/definition", "main.mpl", 4, 1)).toEqual([]);
    expect(await client.request("textDocument/definition", "main.mpl", 7, 4)).toEqual([]);
  });

  it("completes after `Mod.`, after `value.` and plain names", async () => {
    type Item = { label: string; kind: number; detail?: string };
    const next = client.nextDiagnostics("main.mpl", (p) => p.diagnostics.length > 0);
    await client.change("main.mpl", { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, "  Text.\n  p.\n");
    await next;
    const mod = await client.request<Item[]>("textDocument/completion", "main.mpl", 9, 7);
    expect(mod.map((c) => c.label)).toEqual(["banner"]);
    expect(mod[0]!.detail).toBe("pub fn banner(s :: String) -> String");
    const val = await client.request<Item[]>("textDocument/completion", "main.mpl", 10, 4);
    expect(val.map((c) => c.label).slice(0, 2)).toEqual(["x", "y"]);
    expect(val[0]!.kind).toBe(5); // Field
    const str = await client.request<Item[]>("textDocument/completion", "main.mpl", 7, 10);
    void str;
    const all = await client.request<Item[]>("textDocument/completion", "main.mpl", 8, 2);
    const labels = all.map((c) => c.label);
    expect(labels.indexOf("s")).toBeLessThan(labels.indexOf("main"));
    expect(labels).toContain("area");
    expect(labels).toContain("Shapes");
    expect(all.filter((c) => c.label === "for").map((c) => c.kind).sort()).toEqual([14, 15]); // keyword and snippet
    const done = client.nextDiagnostics("main.mpl", (p) => p.diagnostics.length === 0);
    await client.change("main.mpl", { start: { line: 9, character: 0 }, end: { line: 11, character: 0 } }, "");
    await done;
  });

  it("gives signature help with the active parameter", async () => {
    const next = client.nextDiagnostics("main.mpl", (p) => p.diagnostics.length > 0);
    await client.change("main.mpl", { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, "  scale(s, \n");
    await next;
    const sig = await client.request<{ signatures: { label: string; parameters: { label: string }[] }[]; activeParameter: number }>("textDocument/signatureHelp", "main.mpl", 9, 12);
    expect(sig.signatures[0]!.label).toBe("scale(s :: Shape, k :: Int) -> Shape");
    expect(sig.activeParameter).toBe(1);
    const done = client.nextDiagnostics("main.mpl", (p) => p.diagnostics.length === 0);
    await client.change("main.mpl", { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } }, "");
    await done;
  });

  it("lists document and workspace symbols", async () => {
    await client.open("geometry/shapes.mpl", SHAPES);
    const syms = await client.conn.sendRequest<{ name: string; kind: number; children: { name: string }[] }[]>("textDocument/documentSymbol", { textDocument: { uri: client.uri("geometry/shapes.mpl") } });
    expect(syms.map((s) => s.name)).toEqual(["Shape", "Point", "area", "scale"]);
    expect(syms[0]!.children.map((c) => c.name)).toEqual(["Square", "Circle"]);
    const ws = await client.conn.sendRequest<{ name: string }[]>("workspace/symbol", { query: "ban" });
    expect(ws[0]!.name).toBe("banner");
  });

  it("finds references and renames across modules", async () => {
    const refs = await client.request<Loc[]>("textDocument/references", "geometry/shapes.mpl", 11, 8, { context: { includeDeclaration: true } });
    const where = refs.map((r) => `${path.basename(r.uri)}:${r.range.start.line}:${r.range.start.character}`).sort();
    expect(where).toEqual(["main.mpl:0:35", "main.mpl:7:30", "main.mpl:8:13", "shapes.mpl:11:7"]);
    const edit = await client.request<{ changes: Record<string, { newText: string }[]> }>("textDocument/rename", "geometry/shapes.mpl", 11, 8, { newName: "surface" });
    expect(Object.keys(edit.changes).map((u) => path.basename(u)).sort()).toEqual(["main.mpl", "shapes.mpl"]);
    expect(edit.changes[client.uri("main.mpl")]!.length).toBe(3);
    // conflicts and bad names are refused
    await expect(client.request("textDocument/rename", "geometry/shapes.mpl", 11, 8, { newName: "scale" })).rejects.toThrow(/already defined/);
    await expect(client.request("textDocument/rename", "geometry/shapes.mpl", 11, 8, { newName: "Area" })).rejects.toThrow(/lowercase/);
    await expect(client.request("textDocument/prepareRename", "main.mpl", 7, 4)).rejects.toThrow();
  });

  it("formats a document with one edit, and not at all when it has syntax errors", async () => {
    await client.open("util/text.mpl", "pub fn banner(s::String)->String do\n\"** \"<>s<>\" **\"\nend\n");
    const edits = await client.conn.sendRequest<{ newText: string }[]>("textDocument/formatting", { textDocument: { uri: client.uri("util/text.mpl") }, options: { tabSize: 8, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toBe(TEXT);
    await client.change("util/text.mpl", { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, "fn (");
    const none = await client.conn.sendRequest<unknown[]>("textDocument/formatting", { textDocument: { uri: client.uri("util/text.mpl") }, options: { tabSize: 2, insertSpaces: true } });
    expect(none).toEqual([]);
  });
});
