// `meshc lsp` (tooling.md §2): the LSP 3.17 server over stdio (vscode-languageserver). Documents
// are synced incrementally; each project (rooted at mesh.toml, else main.mpl, else the lone file)
// has a ProjectModel; an edit schedules one incremental analysis (10 ms debounce) whose
// diagnostics are published for every project file, the edited files first. Requests answer from
// the latest complete analysis. `meshc/analysisInfo` (an extension request) tells which modules
// the latest analysis re-checked (used by the tests of incrementality).
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createConnection,
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  DocumentHighlightKind,
  ErrorCodes,
  InsertTextFormat,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Range,
} from "vscode-languageserver/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { NodeFileSystem, type FileSystem } from "../../compiler/fs/file-system.js";
import type { Diagnostic } from "../../compiler/diag/diagnostic.js";
import type { Span } from "../../compiler/ast/syntax.js";
import { formatSource } from "../../compiler/format/format.js";
import { ProjectModel, type Analysis } from "./project.js";
import { complete, documentSymbols, hover, prepareRename, rename, RenameError, signatureHelp, workspaceSymbols, type DocSymbol } from "./features.js";
import { symbolAt, occurrences } from "./symbols.js";
import { settingsFor } from "../fmt.js";

const DEBOUNCE_MS = 10; // tooling.md §2.5: at most 20 ms

export function projectRootFor(file: string, fsys: FileSystem): { root: string; single: string | null } {
  let dir = path.dirname(path.resolve(file));
  let mainDir: string | null = null;
  for (;;) {
    if (fsys.exists(path.join(dir, "mesh.toml"))) return { root: dir, single: null };
    if (mainDir === null && fsys.exists(path.join(dir, "main.mpl"))) mainDir = dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (mainDir !== null) return { root: mainDir, single: null };
  return { root: path.dirname(path.resolve(file)), single: path.basename(file) };
}

export function startServer(connection: Connection, fsys: FileSystem = new NodeFileSystem()): void {
  const documents = new TextDocuments(TextDocument);
  const models = new Map<string, ProjectModel>(); // root (or lone file) -> model
  const lastGood = new Map<ProjectModel, Analysis>();
  const published = new Map<string, string>(); // uri -> JSON of last published diagnostics
  const timers = new Map<ProjectModel, NodeJS.Timeout>();
  const edited = new Map<ProjectModel, Set<string>>(); // files edited since the last publication
  const posDocs = new Map<string, TextDocument>(); // for position conversion of analysed texts

  const uriOf = (abs: string) => pathToFileURL(abs).href;
  const absOf = (uri: string) => fileURLToPath(uri);

  function modelFor(abs: string): ProjectModel {
    for (const m of models.values()) if (m.single === null && m.contains(abs)) return m;
    const { root, single } = projectRootFor(abs, fsys);
    const key = single === null ? root : path.join(root, single);
    let m = models.get(key);
    if (m === undefined) {
      m = new ProjectModel(root, fsys, single);
      models.set(key, m);
    }
    return m;
  }

  function posDoc(abs: string, text: string): TextDocument {
    const uri = uriOf(abs);
    let d = posDocs.get(uri);
    if (d === undefined || d.getText() !== text) {
      d = TextDocument.create(uri, "mesh", 0, text);
      posDocs.set(uri, d);
    }
    return d;
  }

  const rangeOf = (m: ProjectModel, a: Analysis, s: Span): Range => {
    const text = a.texts.get(s.file) ?? "";
    const d = posDoc(path.join(m.root, s.file), text);
    return { start: d.positionAt(s.start), end: d.positionAt(s.end) };
  };

  function toLsp(m: ProjectModel, a: Analysis, d: Diagnostic): LspDiagnostic {
    const out: LspDiagnostic = {
      range: rangeOf(m, a, d.span),
      severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.code,
      source: "mesh",
      message: d.message + (d.hint ? `\nhint: ${d.hint}` : ""),
    };
    if (d.secondary && d.secondary.length > 0) {
      out.relatedInformation = d.secondary.map((l) => ({ location: { uri: uriOf(path.join(m.root, l.span.file)), range: rangeOf(m, a, l.span) }, message: l.message }));
    }
    if (d.code === "W0001") out.tags = [DiagnosticTag.Unnecessary];
    return out;
  }

  function analyse(m: ProjectModel): Analysis {
    const a = m.analyse();
    if (a.check) lastGood.set(m, a);
    return a;
  }

  function publish(m: ProjectModel, a: Analysis): void {
    const live = new Set<string>();
    const first = edited.get(m) ?? new Set<string>();
    edited.delete(m);
    const order = [...a.diagnostics].sort((x, y) => Number(first.has(y[0])) - Number(first.has(x[0])));
    for (const [rel, diags] of order) {
      const uri = uriOf(path.join(m.root, rel));
      live.add(uri);
      const list = diags.map((d) => toLsp(m, a, d));
      const key = JSON.stringify(list);
      if (published.get(uri) === key) continue;
      if (list.length === 0 && !published.has(uri)) continue;
      published.set(uri, key);
      void connection.sendDiagnostics({ uri, diagnostics: list });
    }
    const prefix = uriOf(m.root) + "/";
    for (const uri of [...published.keys()]) {
      if ((m.single === null ? uri.startsWith(prefix) : uri === uriOf(path.join(m.root, m.single))) && !live.has(uri)) {
        published.delete(uri);
        void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
  }

  function schedule(m: ProjectModel): void {
    const t = timers.get(m);
    if (t) clearTimeout(t);
    timers.set(
      m,
      setTimeout(() => {
        timers.delete(m);
        const a = analyse(m);
        // A newer edit arrived meanwhile: its own analysis is already scheduled.
        if (a.version === m.currentVersion) publish(m, a);
      }, DEBOUNCE_MS),
    );
  }

  // The analysis requests use: the latest complete one (analysed now if there is none yet).
  function current(uri: string): { m: ProjectModel; a: Analysis; rel: string } {
    const abs = absOf(uri);
    const m = modelFor(abs);
    let a = m.latest ?? analyse(m);
    if (!a.check) a = lastGood.get(m) ?? a;
    return { m, a, rel: m.single ?? m.rel(abs) };
  }

  function offsetIn(a: Analysis, m: ProjectModel, rel: string, uri: string, pos: { line: number; character: number }): { offset: number; text: string } {
    const text = a.texts.get(rel) ?? documents.get(uri)?.getText() ?? "";
    return { offset: posDoc(path.join(m.root, rel), text).offsetAt(pos), text };
  }

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      documentFormattingProvider: true,
      completionProvider: { triggerCharacters: ["."], resolveProvider: false },
      signatureHelpProvider: { triggerCharacters: ["(", ","] },
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      workspaceSymbolProvider: true,
    },
    serverInfo: { name: "meshc", version: "0.1.0" },
  }));

  function noteEdit(m: ProjectModel, rel: string): void {
    const set = edited.get(m) ?? new Set<string>();
    set.add(rel);
    edited.set(m, set);
  }
  documents.onDidOpen((e) => {
    const abs = absOf(e.document.uri);
    const m = modelFor(abs);
    const rel = m.single ?? m.rel(abs);
    m.setOpen(rel, e.document.getText());
    noteEdit(m, rel);
    schedule(m);
  });
  documents.onDidChangeContent((e) => {
    const abs = absOf(e.document.uri);
    const m = modelFor(abs);
    const rel = m.single ?? m.rel(abs);
    m.setOpen(rel, e.document.getText());
    noteEdit(m, rel);
    schedule(m);
  });
  documents.onDidClose((e) => {
    const abs = absOf(e.document.uri);
    const m = modelFor(abs);
    m.close(m.single ?? m.rel(abs));
    schedule(m);
  });
  connection.onDidChangeWatchedFiles((p) => {
    const touched = new Set<ProjectModel>();
    for (const ch of p.changes) {
      const abs = absOf(ch.uri);
      for (const m of models.values()) {
        if (path.basename(abs) === "mesh.toml" && abs.startsWith(m.root)) m.refresh(null);
        else if (m.contains(abs) && documents.get(ch.uri) === undefined) m.refresh(m.single ?? m.rel(abs));
        else continue;
        touched.add(m);
      }
    }
    for (const m of touched) schedule(m);
  });

  connection.onRequest("meshc/analysisInfo", (p: { uri: string }) => {
    const m = modelFor(absOf(p.uri));
    const a = m.latest;
    return a ? { version: a.version, rechecked: a.rechecked, modules: a.program.modules.length } : null;
  });

  connection.onHover((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const { offset } = offsetIn(a, m, rel, p.textDocument.uri, p.position);
    const h = hover(a, rel, offset);
    return h ? { contents: { kind: "markdown", value: h.markdown }, range: rangeOf(m, a, h.range) } : null;
  });

  connection.onDefinition((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const { offset } = offsetIn(a, m, rel, p.textDocument.uri, p.position);
    const hit = symbolAt(a, rel, offset);
    if (!hit || hit.isDef || hit.sym.stdlib || !hit.sym.def) return [];
    const def = hit.sym.def;
    return { uri: uriOf(path.join(m.root, def.file)), range: rangeOf(m, a, def.span) };
  });

  connection.onReferences((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const { offset } = offsetIn(a, m, rel, p.textDocument.uri, p.position);
    const hit = symbolAt(a, rel, offset);
    if (!hit || hit.sym.stdlib) return [];
    return occurrences(a, hit.sym)
      .filter((o) => p.context.includeDeclaration || !o.def)
      .map((o) => ({ uri: uriOf(path.join(m.root, o.file)), range: rangeOf(m, a, o.span) }));
  });

  connection.onDocumentHighlight((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const { offset } = offsetIn(a, m, rel, p.textDocument.uri, p.position);
    const hit = symbolAt(a, rel, offset);
    if (!hit || hit.sym.stdlib) return [];
    return occurrences(a, hit.sym)
      .filter((o) => o.file === rel)
      .map((o) => ({ range: rangeOf(m, a, o.span), kind: o.def ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
  });

  connection.onPrepareRename((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const { offset } = offsetIn(a, m, rel, p.textDocument.uri, p.position);
    try {
      const r = prepareRename(a, rel, offset);
      return { range: rangeOf(m, a, r.range), placeholder: r.name };
    } catch (e) {
      if (e instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidRequest, e.message);
      throw e;
    }
  });

  connection.onRenameRequest((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const { offset } = offsetIn(a, m, rel, p.textDocument.uri, p.position);
    try {
      const edits = rename(a, rel, offset, p.newName);
      const changes: Record<string, { range: Range; newText: string }[]> = {};
      for (const [file, list] of edits) changes[uriOf(path.join(m.root, file))] = list.map((e) => ({ range: rangeOf(m, a, e.span), newText: e.text }));
      return { changes };
    } catch (e) {
      if (e instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidRequest, e.message);
      throw e;
    }
  });

  const KIND: Record<string, CompletionItemKind> = {
    Variable: CompletionItemKind.Variable,
    Function: CompletionItemKind.Function,
    Struct: CompletionItemKind.Struct,
    Enum: CompletionItemKind.Enum,
    EnumMember: CompletionItemKind.EnumMember,
    Interface: CompletionItemKind.Interface,
    Module: CompletionItemKind.Module,
    Field: CompletionItemKind.Field,
    Method: CompletionItemKind.Method,
    Keyword: CompletionItemKind.Keyword,
    Snippet: CompletionItemKind.Snippet,
  };
  connection.onCompletion((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    const text = doc?.getText() ?? a.texts.get(rel) ?? "";
    const offset = doc ? doc.offsetAt(p.position) : offsetIn(a, m, rel, p.textDocument.uri, p.position).offset;
    return complete(a, rel, text, offset).map((c, i) => ({
      label: c.label,
      kind: KIND[c.kind],
      ...(c.detail !== undefined ? { detail: c.detail } : {}),
      ...(c.insertText !== undefined ? { insertText: c.insertText, insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText } : {}),
      sortText: `${c.sortGroup}${String(i).padStart(5, "0")}`,
    }));
  });

  connection.onSignatureHelp((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    const text = doc?.getText() ?? a.texts.get(rel) ?? "";
    const offset = doc ? doc.offsetAt(p.position) : offsetIn(a, m, rel, p.textDocument.uri, p.position).offset;
    const s = signatureHelp(a, rel, text, offset);
    if (!s) return null;
    return { signatures: [{ label: s.label, parameters: s.params.map((label) => ({ label })) }], activeSignature: 0, activeParameter: Math.min(s.active, Math.max(0, s.params.length - 1)) };
  });

  const SYMBOL: Record<DocSymbol["kind"], SymbolKind> = {
    Function: SymbolKind.Function,
    Struct: SymbolKind.Struct,
    Enum: SymbolKind.Enum,
    TypeParameter: SymbolKind.TypeParameter,
    Interface: SymbolKind.Interface,
    Object: SymbolKind.Object,
    Class: SymbolKind.Class,
    Variable: SymbolKind.Variable,
    Module: SymbolKind.Module,
    Field: SymbolKind.Field,
    EnumMember: SymbolKind.EnumMember,
  };
  connection.onDocumentSymbol((p) => {
    const { m, a, rel } = current(p.textDocument.uri);
    const mod = a.modules.get(rel);
    if (!mod) return [];
    const conv = (s: DocSymbol): import("vscode-languageserver").DocumentSymbol => ({
      name: s.name,
      kind: SYMBOL[s.kind],
      range: rangeOf(m, a, s.range),
      selectionRange: rangeOf(m, a, s.selection),
      children: s.children.map(conv),
    });
    return documentSymbols(mod).map(conv);
  });

  connection.onWorkspaceSymbol((p) => {
    const out: import("vscode-languageserver").SymbolInformation[] = [];
    for (const m of models.values()) {
      const a = m.latest ?? analyse(m);
      for (const w of workspaceSymbols(a, p.query)) {
        out.push({ name: w.sym.name, kind: SYMBOL[w.sym.kind], location: { uri: uriOf(path.join(m.root, w.file)), range: rangeOf(m, a, w.sym.selection) }, ...(w.container ? { containerName: w.container } : {}) });
      }
    }
    return out.slice(0, 100);
  });

  connection.onDocumentFormatting((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const abs = absOf(p.textDocument.uri);
    let opts;
    try {
      opts = settingsFor(path.dirname(abs), {});
    } catch {
      opts = { lineWidth: 100, indentSize: 2 };
    }
    const text = doc.getText();
    const r = formatSource(text, opts, path.basename(abs));
    if (r.kind !== "ok" || r.output === text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: r.output }];
  });

  documents.listen(connection);
  connection.listen();
}

export function startStdioServer(): void {
  const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  let shutdown = false;
  connection.onShutdown(() => {
    shutdown = true;
  });
  connection.onExit(() => process.exit(shutdown ? 0 : 1));
  process.stdin.on("end", () => process.exit(shutdown ? 0 : 1));
  // Logs never go to stdout (it carries protocol messages only).
  console.log = console.error;
  startServer(connection);
}
