// The Float module (stdlib.md §4).
const MAX_INT = Number.MAX_SAFE_INTEGER;

/** Float -> Int: truncates toward zero; NaN gives 0; out of range saturates to ±(2^53−1). */
export function floatToInt(f: number): number {
  if (f !== f) return 0;
  const t = Math.trunc(f);
  if (t > MAX_INT) return MAX_INT;
  if (t < -MAX_INT) return -MAX_INT;
  return t + 0; // never -0 for an Int
}

export const Float_ = {
  from: (n: number): number => n,
  to_int: floatToInt,
};
