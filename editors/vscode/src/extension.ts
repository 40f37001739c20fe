// The Mesh extension: starts `<mesh.lsp.path> lsp` (default: the workspace's node_modules/.bin/meshc,
// then meshc on PATH) as a language server over stdio. All language features come from the server.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverCommand(): string {
  const configured = vscode.workspace.getConfiguration("mesh").get<string>("lsp.path", "meshc");
  if (configured !== "meshc") return configured;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, "node_modules", ".bin", process.platform === "win32" ? "meshc.cmd" : "meshc");
    if (fs.existsSync(local)) return local;
  }
  return "meshc";
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = serverCommand();
  const serverOptions: ServerOptions = { command, args: ["lsp"], transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "mesh" }],
    synchronize: {
      fileEvents: [vscode.workspace.createFileSystemWatcher("**/*.mpl"), vscode.workspace.createFileSystemWatcher("**/mesh.toml")],
    },
  };
  client = new LanguageClient("mesh", "Mesh Language Server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    const choice = await vscode.window.showErrorMessage(
      `Mesh: could not start the language server (\`${command} lsp\`): ${e instanceof Error ? e.message : String(e)}`,
      "Set mesh.lsp.path",
    );
    if (choice) await vscode.commands.executeCommand("workbench.action.openSettings", "mesh.lsp.path");
  }
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
