// JavaScript names for Mesh names: Mesh names are kept (so generated code and stack traces read
// like the source), JS reserved words get a trailing `$`, and shadowed bindings get `$1`, `$2`…
// Runtime helpers are imported under `$`-prefixed names, which no Mesh identifier can clash with.

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with yield let static " +
    "implements interface package private protected public await async arguments eval undefined NaN Infinity globalThis " +
    "Object Array String Number Boolean Symbol Math JSON Map Set Error Promise Function RegExp Date Reflect Proxy BigInt " +
    "constructor prototype"
  ).split(" "),
);

// Mesh identifiers may contain any Unicode letter; JS identifiers accept those too.
export function escapeName(name: string): string {
  return RESERVED.has(name) ? name + "$" : name;
}

// Struct field names become JS properties; only `__proto__` would misbehave as an own property.
export function fieldName(name: string): string {
  return name === "__proto__" ? "__proto__$" : name;
}

// Allocates unique JS names within one scope tree (a module's top level plus, per top-level
// function, every nested local). Uniqueness over the whole function keeps closures and
// shadowing trivially correct.
export class NameAlloc {
  private readonly used: Set<string>;
  constructor(
    private readonly parent: NameAlloc | null = null,
    initial: Iterable<string> = [],
  ) {
    this.used = new Set(initial);
  }

  has(name: string): boolean {
    return this.used.has(name) || (this.parent?.has(name) ?? false);
  }

  // `want` is a Mesh name or a descriptive base such as `$t`.
  fresh(want: string): string {
    const base = want.startsWith("$") ? want : escapeName(want);
    if (!this.has(base)) {
      this.used.add(base);
      return base;
    }
    for (let i = 1; ; i++) {
      const cand = `${base}$${i}`;
      if (!this.has(cand)) {
        this.used.add(cand);
        return cand;
      }
    }
  }

  reserve(name: string): void {
    this.used.add(name);
  }

  child(): NameAlloc {
    return new NameAlloc(this);
  }
}

// §4.3 of concurrency.md, shared with the checker and the runtime's serviceHelper.
export { helperName as snakeCase } from "../../common/facts.js";
