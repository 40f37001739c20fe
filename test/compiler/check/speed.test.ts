// Throughput of the checker on a generated 10,000-line, 10-module project (parsing excluded).
import { describe, expect, it } from "vitest";
import { checkProgram } from "../../../compiler/check/check.js";
import { buildProgram } from "./project.js";

function block(m: number, k: number, prev: number | null): string {
  const t = `${m}_${k}`;
  const call = prev === null ? "0" : `M${prev}.f${prev}_${k}(x, s)`;
  return `pub struct Rec${t} do
  a :: Int
  b :: String
end
pub type Sh${t} do
  Circle${t}(Int)
  Dot${t}
end
pub fn f${t}(x :: Int, s :: String) -> Int do
  let r = Rec${t} { a: x, b: s }
  let sh = if x > 3 do Circle${t}(x) else Dot${t} end
  let v = case sh do
    Circle${t}(n) -> n * 2 + r.a
    Dot${t} -> 0
  end
  let ys = [1, 2, 3] |> List.map(fn y -> y + v end) |> List.filter(fn y -> y % 2 == 0 end)
  let total = reduce(ys, 0, fn acc, y -> acc + y end)
  println("\${r.b} \${total} \${ys}")
  total + ${call}
end
fn g${t}(xs, f) do
  let mapped = List.map(xs, f)
  for z in mapped when z != 0 do
    z
  end
end
fn h${t}(p) = p.a + List.length(g${t}([p.a], fn q -> q * 3 end))
`;
}

function project(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let m = 0; m < 10; m++) {
    const prev = m > 0 ? m - 1 : null;
    let src = prev === null ? "" : `import M${prev}\n`;
    for (let k = 0; k < 37; k++) src += block(m, k, prev);
    files[`m${m}.mpl`] = src;
  }
  files["main.mpl"] = `import M9\nfn main() do\n  println("\${M9.f9_0(1, "a")}")\nend\n`;
  return files;
}

describe("checker speed", () => {
  it("checks at least 100,000 lines per second after warm-up", () => {
    const files = project();
    const lines = Object.values(files).reduce((n, s) => n + s.split("\n").length, 0);
    const { program, parseDiags } = buildProgram(files);
    expect(parseDiags).toEqual([]);
    const first = checkProgram(program);
    expect(first.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    for (let i = 0; i < 4; i++) checkProgram(program);
    let best = Infinity;
    for (let i = 0; i < 8; i++) {
      // CPU time of this process: robust against other processes sharing the machine
      const t0 = process.cpuUsage();
      checkProgram(program);
      const d = process.cpuUsage(t0);
      best = Math.min(best, (d.user + d.system) / 1000);
    }
    const rate = lines / (best / 1000);
    console.log(`checker: ${lines} lines in ${best.toFixed(1)} ms of CPU = ${Math.round(rate)} lines/s`);
    expect(lines).toBeGreaterThanOrEqual(10000);
    // the target is 100,000 lines/s; the assertion leaves room for a loaded CI machine
    expect(rate).toBeGreaterThan(50000);
  });
});
