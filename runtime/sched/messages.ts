// System messages of the process runtime (runtime/sched): the builtin `SystemMessage` sum type
// (concurrency.md §2.1). Fields `_0`, `_1`, `_2` follow payload order so generated code can match
// them positionally; `$tag`/`$name` are on both the class and its prototype.
import type { Pid } from "./pid.js";

export abstract class SystemMessage {
  declare readonly $tag: number;
  declare readonly $name: string;
}

function tagClass(cls: { prototype: object; $tag: number; $name: string }): void {
  Object.defineProperty(cls.prototype, "$tag", { value: cls.$tag, enumerable: false });
  Object.defineProperty(cls.prototype, "$name", { value: cls.$name, enumerable: false });
}

/** `Down(ref, pid, reason)` */
export class SysDown extends SystemMessage {
  static readonly $tag = 0;
  static readonly $name = "Down";
  constructor(
    readonly _0: number,
    readonly _1: Pid,
    readonly _2: string,
  ) {
    super();
  }
  override toString(): string {
    return `Down(${this._0}, ${this._1}, ${this._2})`;
  }
}

/** `Exit(pid, reason)` */
export class SysExit extends SystemMessage {
  static readonly $tag = 1;
  static readonly $name = "Exit";
  constructor(
    readonly _0: Pid,
    readonly _1: string,
  ) {
    super();
  }
  override toString(): string {
    return `Exit(${this._0}, ${this._1})`;
  }
}

/** `NodeDown(name)` */
export class SysNodeDown extends SystemMessage {
  static readonly $tag = 2;
  static readonly $name = "NodeDown";
  constructor(readonly _0: string) {
    super();
  }
  override toString(): string {
    return `NodeDown(${this._0})`;
  }
}

/** `NodeUp(name)` */
export class SysNodeUp extends SystemMessage {
  static readonly $tag = 3;
  static readonly $name = "NodeUp";
  constructor(readonly _0: string) {
    super();
  }
  override toString(): string {
    return `NodeUp(${this._0})`;
  }
}

tagClass(SysDown);
tagClass(SysExit);
tagClass(SysNodeDown);
tagClass(SysNodeUp);

export function isSystemMessage(x: unknown): x is SystemMessage {
  return x instanceof SystemMessage;
}
