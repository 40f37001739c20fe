// Decoding of literal token images (language.md §1.5–§1.7), shared by the lexing pass (which
// validates integer literals) and the CST -> AST visitor (which needs their values).

export const MAX_SAFE_INT = 9007199254740991;

export type IntCheck = { ok: true; value: number } | { ok: false; message: string; code: "P0001" | "E0044" };

const BASES: Record<string, [number, RegExp, string]> = {
  x: [16, /^[0-9a-fA-F][0-9a-fA-F_]*$/, "hexadecimal"],
  b: [2, /^[01][01_]*$/, "binary"],
  o: [8, /^[0-7][0-7_]*$/, "octal"],
};

// Value of an IntLit image, or why it is not a valid literal.
export function checkInt(image: string): IntCheck {
  let value: number;
  const p = image.length > 1 && image.charCodeAt(0) === 48 ? image[1]!.toLowerCase() : "";
  const base = BASES[p];
  if (base !== undefined) {
    const digits = image.slice(2);
    if (!base[1].test(digits)) {
      return { ok: false, code: "P0001", message: `${base[2]} literal \`${image}\` needs at least one digit after \`${image.slice(0, 2)}\`` };
    }
    value = parseInt(digits.replace(/_/g, ""), base[0]);
  } else {
    value = Number(image.indexOf("_") >= 0 ? image.replace(/_/g, "") : image);
  }
  if (value > MAX_SAFE_INT) {
    return { ok: false, code: "E0044", message: `integer literal \`${image}\` is too large (the largest Int is ${MAX_SAFE_INT})` };
  }
  return { ok: true, value };
}

export function intValue(image: string): number {
  const r = checkInt(image);
  return r.ok ? r.value : 0;
}

export function floatValue(image: string): number {
  return Number(image.indexOf("_") >= 0 ? image.replace(/_/g, "") : image);
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", '"': '"' };

// §1.7: `\n \t \r \0 \\ \"`; a backslash before any other character stands for that character.
export function decodeEscapes(raw: string): string {
  if (raw.indexOf("\\") < 0) return raw;
  let out = "";
  let i = 0;
  for (;;) {
    const j = raw.indexOf("\\", i);
    if (j < 0 || j === raw.length - 1) return out + raw.slice(i);
    const c = raw[j + 1]!;
    out += raw.slice(i, j) + (ESCAPES[c] ?? c);
    i = j + 2;
  }
}
