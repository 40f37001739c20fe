// An in-process LSP client for the tests: the server (tooling/lsp/server.ts) and a JSON-RPC client
// joined by two in-memory pipes, speaking the real protocol (Content-Length framing included).
import { PassThrough } from "node:stream";
import { pathToFileURL } from "node:url";
import * as path from "node:path";
import { createConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node.js";
import { createMessageConnection, type MessageConnection } from "vscode-jsonrpc/node.js";
import { startServer } from "../../tooling/lsp/server.js";

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; message: string; severity: number; source: string }[];
}

export class TestClient {
  readonly conn: MessageConnection;
  readonly published = new Map<string, PublishedDiagnostics>();
  private waiters: { pred: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  private versions = new Map<string, number>();

  constructor(readonly root: string) {
    const c2s = new PassThrough();
    const s2c = new PassThrough();
    const server = createConnection(new StreamMessageReader(c2s), new StreamMessageWriter(s2c));
    startServer(server);
    this.conn = createMessageConnection(new StreamMessageReader(s2c), new StreamMessageWriter(c2s));
    this.conn.onNotification("textDocument/publishDiagnostics", (p: PublishedDiagnostics) => {
      this.published.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.conn.listen();
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).href;
  }

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.conn.sendRequest<{ capabilities: Record<string, unknown> }>("initialize", { processId: null, rootUri: pathToFileURL(this.root).href, capabilities: {} });
    await this.conn.sendNotification("initialized", {});
    return r;
  }

  // Resolves with the next publication for `rel` satisfying `pred`.
  nextDiagnostics(rel: string, pred: (p: PublishedDiagnostics) => boolean = () => true): Promise<PublishedDiagnostics> {
    const uri = this.uri(rel);
    return new Promise((resolve) => this.waiters.push({ pred: (p) => p.uri === uri && pred(p), resolve }));
  }

  open(rel: string, text: string): Promise<void> {
    this.versions.set(rel, 1);
    return this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri: this.uri(rel), languageId: "mesh", version: 1, text } });
  }

  change(rel: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<void> {
    const v = (this.versions.get(rel) ?? 1) + 1;
    this.versions.set(rel, v);
    return this.conn.sendNotification("textDocument/didChange", { textDocument: { uri: this.uri(rel), version: v }, contentChanges: [{ range, text }] });
  }

  request<T>(method: string, rel: string, line: number, character: number, extra: Record<string, unknown> = {}): Promise<T> {
    return this.conn.sendRequest<T>(method, { textDocument: { uri: this.uri(rel) }, position: { line, character }, ...extra });
  }

  dispose(): void {
    this.conn.dispose();
  }
}
