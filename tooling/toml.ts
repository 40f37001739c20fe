// A small TOML 1.0 reader for mesh.toml (tooling.md §3.2): tables, arrays of tables, dotted and
// quoted keys, basic and literal strings (also multi-line), integers, floats, booleans, arrays and
// inline tables. Dates are not needed by any manifest key and are rejected with a clear message.
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export class TomlError extends Error {}

export function parseToml(src: string): TomlTable {
  const root: TomlTable = {};
  let cur: TomlTable = root;
  let i = 0;
  let lineNo = 1;
  const fail = (msg: string): never => {
    throw new TomlError(`${msg} at line ${lineNo}`);
  };
  const peek = () => src[i] ?? "";
  const skipWs = () => {
    while (i < src.length && (src[i] === " " || src[i] === "\t")) i++;
  };
  const skipComment = () => {
    if (src[i] === "#") while (i < src.length && src[i] !== "\n") i++;
  };
  const skipWsNl = () => {
    for (;;) {
      skipWs();
      skipComment();
      if (src[i] === "\r" && src[i + 1] === "\n") i++;
      if (src[i] === "\n") {
        i++;
        lineNo++;
        continue;
      }
      return;
    }
  };
  const endOfLine = () => {
    skipWs();
    skipComment();
    if (src[i] === "\r") i++;
    if (i < src.length && src[i] !== "\n") fail(`unexpected '${src[i]}'`);
  };
  const bareKey = /[A-Za-z0-9_-]/;
  const key = (): string => {
    skipWs();
    if (src[i] === '"' || src[i] === "'") return str();
    const s = i;
    while (i < src.length && bareKey.test(src[i]!)) i++;
    if (s === i) fail("expected a key");
    return src.slice(s, i);
  };
  const keyPath = (): string[] => {
    const ks = [key()];
    for (;;) {
      skipWs();
      if (src[i] !== ".") return ks;
      i++;
      ks.push(key());
    }
  };
  const str = (): string => {
    const q = src[i]!;
    const triple = src.startsWith(q.repeat(3), i);
    i += triple ? 3 : 1;
    if (triple && src[i] === "\n") (i++, lineNo++);
    else if (triple && src.startsWith("\r\n", i)) (i += 2, lineNo++);
    let out = "";
    for (;;) {
      if (i >= src.length) fail("unterminated string");
      const c = src[i]!;
      if (triple ? src.startsWith(q.repeat(3), i) : c === q) {
        i += triple ? 3 : 1;
        return out;
      }
      if (c === "\n") {
        if (!triple) fail("line break in a string");
        lineNo++;
      }
      if (c === "\\" && q === '"') {
        const e = src[i + 1];
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", b: "\b", f: "\f" };
        if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          i += 2;
          continue;
        }
        if (e === "u" || e === "U") {
          const n = e === "u" ? 4 : 8;
          const hex = src.slice(i + 2, i + 2 + n);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail("invalid escape");
          out += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + n;
          continue;
        }
        if (triple && (e === "\n" || e === " " || e === "\r")) {
          i++;
          while (i < src.length && /[ \t\r\n]/.test(src[i]!)) (src[i] === "\n" && lineNo++, i++);
          continue;
        }
        fail("invalid escape");
      }
      out += c;
      i++;
    }
  };
  const value = (): TomlValue => {
    skipWs();
    const c = peek();
    if (c === '"' || c === "'") return str();
    if (c === "[") {
      i++;
      const arr: TomlValue[] = [];
      for (;;) {
        skipWsNl();
        if (src[i] === "]") {
          i++;
          return arr;
        }
        arr.push(value());
        skipWsNl();
        if (src[i] === ",") i++;
        else if (src[i] !== "]") fail("expected ',' or ']' in an array");
      }
    }
    if (c === "{") {
      i++;
      const t: TomlTable = {};
      skipWs();
      if (src[i] === "}") {
        i++;
        return t;
      }
      for (;;) {
        const ks = keyPath();
        skipWs();
        if (src[i] !== "=") fail("expected '='");
        i++;
        setPath(t, ks, value());
        skipWs();
        if (src[i] === ",") {
          i++;
          continue;
        }
        if (src[i] === "}") {
          i++;
          return t;
        }
        fail("expected ',' or '}' in an inline table");
      }
    }
    const m = /^(true|false|[+-]?(?:0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|inf|nan|[0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?))/.exec(src.slice(i, i + 64));
    if (m === null) return fail("invalid value");
    const tok = m[1]!;
    if (/^\d{4}-/.test(src.slice(i, i + 5))) fail("dates are not supported");
    i += tok.length;
    if (tok === "true") return true;
    if (tok === "false") return false;
    const t = tok.replace(/_/g, "");
    if (/^[+-]?0[xob]/.test(t)) return Number(t.replace(/^\+/, ""));
    if (/inf$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
    if (/nan$/.test(t)) return NaN;
    return Number(t);
  };
  const defined = new Set<TomlTable>();
  const setPath = (t: TomlTable, ks: string[], v: TomlValue) => {
    let o = t;
    for (const k of ks.slice(0, -1)) {
      const x = o[k];
      if (x === undefined) o = o[k] = {};
      else if (typeof x === "object" && !Array.isArray(x)) o = x;
      else fail(`key '${k}' is not a table`);
    }
    const last = ks[ks.length - 1]!;
    if (last in o) fail(`duplicate key '${ks.join(".")}'`);
    o[last] = v;
  };
  const tableAt = (ks: string[], arrayOf: boolean): TomlTable => {
    let o = root;
    ks.forEach((k, idx) => {
      const lastSeg = idx === ks.length - 1;
      let x = o[k];
      if (lastSeg && arrayOf) {
        if (x === undefined) x = o[k] = [];
        if (!Array.isArray(x)) fail(`key '${k}' is not an array of tables`);
        const t: TomlTable = {};
        (x as TomlValue[]).push(t);
        o = t;
        return;
      }
      if (x === undefined) x = o[k] = {};
      if (Array.isArray(x)) x = x[x.length - 1] as TomlTable;
      if (typeof x !== "object") fail(`key '${k}' is not a table`);
      o = x as TomlTable;
    });
    if (!arrayOf) {
      if (defined.has(o)) fail(`table [${ks.join(".")}] defined twice`);
      defined.add(o);
    }
    return o;
  };
  for (;;) {
    skipWsNl();
    if (i >= src.length) return root;
    if (src[i] === "[") {
      const arrayOf = src[i + 1] === "[";
      i += arrayOf ? 2 : 1;
      const ks = keyPath();
      skipWs();
      if (!src.startsWith(arrayOf ? "]]" : "]", i)) fail("expected ']'");
      i += arrayOf ? 2 : 1;
      cur = tableAt(ks, arrayOf);
      endOfLine();
      continue;
    }
    const ks = keyPath();
    skipWs();
    if (src[i] !== "=") fail("expected '=' after a key");
    i++;
    setPath(cur, ks, value());
    endOfLine();
  }
}
