// Hand-written JavaScript versions of the generated-code benchmarks (the baseline).
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function sumTo(n: number, acc: number): number {
  while (n !== 0) {
    acc = acc + n;
    n = n - 1;
  }
  return acc;
}

export function buildString(n: number): number {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`item-${i};`);
  return [...parts.join("")].length;
}
