// The compiler core does no I/O of its own: it reads sources through this interface.
// NodeFileSystem is used by the CLI; MemoryFileSystem by tests (and later an editor or playground).
import * as fs from "node:fs";
import * as path from "node:path";

export interface FileSystem {
  readFile(p: string): string;
  isDirectory(p: string): boolean;
  exists(p: string): boolean;
  // Entries of a directory (names only), sorted.
  list(p: string): string[];
}

export class NodeFileSystem implements FileSystem {
  readFile(p: string): string {
    return fs.readFileSync(p, "utf8");
  }
  isDirectory(p: string): boolean {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  }
  exists(p: string): boolean {
    return fs.existsSync(p);
  }
  list(p: string): string[] {
    return fs.readdirSync(p).sort();
  }
}

// Paths are POSIX-style keys; directories are implied by file paths.
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();
  constructor(files: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(files)) this.files.set(path.posix.normalize(k), v);
  }
  write(p: string, text: string): void {
    this.files.set(path.posix.normalize(p), text);
  }
  readFile(p: string): string {
    const t = this.files.get(path.posix.normalize(p));
    if (t === undefined) throw new Error(`no such file: ${p}`);
    return t;
  }
  isDirectory(p: string): boolean {
    const pre = path.posix.normalize(p).replace(/\/$/, "") + "/";
    for (const k of this.files.keys()) if (k.startsWith(pre) || pre === "./") return true;
    return false;
  }
  exists(p: string): boolean {
    return this.files.has(path.posix.normalize(p)) || this.isDirectory(p);
  }
  list(p: string): string[] {
    const norm = path.posix.normalize(p).replace(/\/$/, "");
    const pre = norm === "." ? "" : norm + "/";
    const out = new Set<string>();
    for (const k of this.files.keys()) {
      if (!k.startsWith(pre)) continue;
      out.add(k.slice(pre.length).split("/")[0]!);
    }
    return [...out].sort();
  }
}
