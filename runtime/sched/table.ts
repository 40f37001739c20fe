// The table of live local processes (runtime/sched): a dense array with swap-remove, each process
// knowing its slot, so spawn and exit cost no hashing and a process costs one array slot and one
// small integer. It keeps every live process reachable (one blocked in receive with no pid left
// anywhere is still a process). A serial → process index is only built if something asks for one
// (the distribution layer). (An intrusive linked list costs the same memory but made message
// passing ~10% slower: the collector then lays the records out along the chain, away from their
// generators and mailboxes.)
import type { Process } from "./process.js";

export class ProcTable {
  private procs: Process[] = [];
  private bySerial: Map<number, Process> | null = null;

  /** Number of live processes. */
  get size(): number {
    return this.procs.length;
  }

  add(p: Process): void {
    const a = this.procs;
    p.slot = a.length;
    a.push(p);
    if (this.bySerial !== null) this.bySerial.set(p.pid.serial, p);
  }

  remove(p: Process): void {
    const i = p.slot;
    const a = this.procs;
    if (i < 0 || a[i] !== p) return; // not in the table
    const last = a.pop()!;
    if (last !== p) {
      a[i] = last;
      last.slot = i;
    }
    p.slot = -1;
    if (this.bySerial !== null) this.bySerial.delete(p.pid.serial);
  }

  /** The live process with this local serial (builds the index on first use). */
  get(serial: number): Process | undefined {
    let m = this.bySerial;
    if (m === null) {
      m = this.bySerial = new Map();
      for (const p of this.procs) m.set(p.pid.serial, p);
    }
    return m.get(serial);
  }

  has(serial: number): boolean {
    return this.get(serial) !== undefined;
  }

  /** A snapshot of the live processes (in no particular order). */
  values(): IterableIterator<Process> {
    return this.procs.slice().values();
  }
}
