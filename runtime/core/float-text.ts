// Float to text: Display (language.md §7.6.1: shortest round-trip digits, never an exponent,
// no trailing ".0") and the JSON float form (stdlib.md §13.3: keeps ".0", exponent outside
// 1e-5 <= |x| < 1e16). Both start from the shortest digits JavaScript itself produces.

// Shortest digits of a finite, non-zero, positive x and the position p of the decimal point:
// x = 0.d1 d2 ... dn * 10^p.
function shortestDigits(ax: number): { digits: string; p: number } {
  const s = ax.toExponential(); // "d.ddde+x" or "de-x": shortest round-trip digits
  const e = s.indexOf("e");
  const mant = s.slice(0, e);
  const digits = mant.length > 1 ? mant[0] + mant.slice(2) : mant;
  return { digits, p: Number(s.slice(e + 1)) + 1 };
}

/** Display text of a Float (and of an Int: both are JS numbers and print alike). */
export function floatText(x: number): string {
  const ax = x < 0 ? -x : x;
  // In this range JavaScript's own ToString uses plain decimal notation with the shortest digits,
  // which is exactly the §7.6.1 form.
  if (ax >= 1e-6 && ax < 1e21) return String(x);
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  if (x !== x) return "NaN";
  if (ax === Infinity) return x < 0 ? "-inf" : "inf";
  const { digits, p } = shortestDigits(ax);
  const n = digits.length;
  let body: string;
  if (p <= 0) body = "0." + "0".repeat(-p) + digits;
  else if (p < n) body = digits.slice(0, p) + "." + digits.slice(p);
  else body = digits + "0".repeat(p - n);
  return x < 0 ? "-" + body : body;
}

/** JSON text of a Float (stdlib.md §13.3). NaN and infinities encode as null. */
export function jsonFloat(x: number): string {
  const ax = x < 0 ? -x : x;
  if (ax < 1e16 && ax >= 1e-5) {
    const s = String(x);
    return Number.isInteger(x) ? s + ".0" : s;
  }
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  if (x !== x || ax === Infinity) return "null";
  const { digits, p } = shortestDigits(ax);
  const n = digits.length;
  let body: string;
  if (p >= n && p <= 16) body = digits + "0".repeat(p - n) + ".0";
  else if (p > 0 && p <= 16) body = digits.slice(0, p) + "." + digits.slice(p);
  else if (p > -5 && p <= 0) body = "0." + "0".repeat(-p) + digits;
  else {
    const e = p - 1;
    body = digits[0] + (n > 1 ? "." + digits.slice(1) : "") + "e" + (e < 0 ? "-" : "+") + Math.abs(e);
  }
  return x < 0 ? "-" + body : body;
}
