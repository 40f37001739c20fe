// Timing helpers for benchmarks: medians of repeated runs, measured in the same process run as
// their baselines.
import { spawnSync } from "node:child_process";
import * as net from "node:net";

/** A TCP port free on 127.0.0.1 at the time of the call. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function timeFn(f: () => unknown, runs = 7, warmups = 1): number {
  for (let i = 0; i < warmups; i++) f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function timeProcess(cmd: string, args: string[], runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  }
  return median(times);
}

export interface Row {
  name: string;
  ours: number;
  baseline: number | null;
  unit: string;
  target?: string;
}

export function printRows(title: string, rows: Row[]): void {
  console.log(`\n## ${title}`);
  for (const r of rows) {
    const ratio = r.baseline ? ` (ratio ${(r.ours / r.baseline).toFixed(2)}x vs baseline ${r.baseline.toFixed(1)} ${r.unit})` : "";
    console.log(`- ${r.name}: ${r.ours.toFixed(1)} ${r.unit}${ratio}${r.target ? `  [target ${r.target}]` : ""}`);
  }
}
