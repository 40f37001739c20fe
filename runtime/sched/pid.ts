// Pid values for the process runtime (runtime/sched): node identity + local serial, so pids are
// location-transparent from day one; the distribution layer creates the remote NodeRefs.
import type { Process } from "./process.js";

/** Identity of a node. The local node's name/creation are filled in by `Node.start`. */
export class NodeRef {
  constructor(
    public name: string,
    public creation: number,
    /** true for this program's own node: its pids display as `<0.N>` */
    readonly local: boolean,
  ) {}
}

export class Pid {
  /** The live local process, or null (dead, remote or null pid). Runtime-internal. */
  proc: Process | null = null;

  constructor(
    readonly node: NodeRef,
    readonly serial: number,
  ) {}

  isNull(): boolean {
    return this.serial === 0;
  }

  isLocal(): boolean {
    return this.node.local;
  }

  toString(): string {
    return this.node.local ? `<0.${this.serial}>` : `<${this.node.name}/${this.serial}>`;
  }

  /** Equal iff node name, node creation and local serial are equal (concurrency.md §1.3). */
  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof Pid) || other.serial !== this.serial) return false;
    const a = this.node;
    const b = other.node;
    return a === b || (a.name === b.name && a.creation === b.creation);
  }

  /** The value layer's hash hook (`$pid` pids hash with it; core/hash.ts). */
  hash(): number {
    return this.hashCode();
  }

  hashCode(): number {
    let h = (this.serial * 0x9e3779b1) | 0;
    const n = this.node.name;
    for (let i = 0; i < n.length; i++) h = (Math.imul(h, 31) + n.charCodeAt(i)) | 0;
    return (h ^ this.node.creation) | 0;
  }
}

export interface Pid {
  /** Marks pids for the value layer (==, hash, text in core/); on the prototype, not per pid. */
  readonly $pid: true;
}
Object.defineProperty(Pid.prototype, "$pid", { value: true });

/**
 * A set of pids keyed by pid identity (concurrency.md §1.3), not object identity: a local pid by
 * its serial (unique within its scheduler), any other by node name + creation + serial, so the
 * same remote pid decoded twice is one member (one link, one exit signal). A `Set<Pid>` subclass
 * so code typed against `Set<Pid>` keeps working; iteration yields the first object added for
 * each identity. The distribution layer maps pids naming this node to the local pid object.
 */
export class PidSet extends Set<Pid> {
  private readonly byKey = new Map<number | string, Pid>();
  constructor() {
    super(); // no initial members: the base constructor would call add before byKey exists
  }
  static key(pid: Pid): number | string {
    return pid.node.local ? pid.serial : `${pid.node.name}\u0000${pid.node.creation}\u0000${pid.serial}`;
  }
  override add(pid: Pid): this {
    const k = PidSet.key(pid);
    if (!this.byKey.has(k)) {
      this.byKey.set(k, pid);
      super.add(pid);
    }
    return this;
  }
  /** The member equal to pid, if any. */
  get(pid: Pid): Pid | undefined {
    return this.byKey.get(PidSet.key(pid));
  }
  override has(pid: Pid): boolean {
    return this.byKey.has(PidSet.key(pid));
  }
  override delete(pid: Pid): boolean {
    const k = PidSet.key(pid);
    const m = this.byKey.get(k);
    if (m === undefined) return false;
    this.byKey.delete(k);
    return super.delete(m);
  }
  override clear(): void {
    this.byKey.clear();
    super.clear();
  }
}

const NULL_NODE = new NodeRef("", 0, true);

/** The null pid `<0.0>`: returned by failed lookups; sends to it are dropped. */
export const NULL_PID = new Pid(NULL_NODE, 0);

export function isPid(x: unknown): x is Pid {
  return x instanceof Pid;
}
