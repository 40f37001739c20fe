// Runtime errors raised by library code and generated code (language.md §7.8): a panic is a JS
// exception of class MeshPanic carrying the exact message; the scheduler turns it into a process
// exit (or, in `main`, into `panic: <message>` on stderr and exit status 101).
export class MeshPanic extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "MeshPanic";
  }
}

export function panic(msg: string): never {
  throw new MeshPanic(msg);
}
