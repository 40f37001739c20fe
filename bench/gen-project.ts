// Generates a synthetic multi-module Mesh project of about N lines for compile-throughput benchmarks.
import * as fs from "node:fs";
import * as path from "node:path";

export function generateProject(dir: string, targetLines: number): number {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "lib"), { recursive: true });
  const modules = Math.max(1, Math.round(targetLines / 500));
  let total = 0;
  for (let m = 0; m < modules; m++) {
    const lines: string[] = [];
    if (m > 0) lines.push(`from Lib.Mod${m - 1} import step${m - 1}_0`, "");
    lines.push(`pub struct Rec${m} do`, "  id :: Int", "  name :: String", "  tags :: List<String>", "end", "");
    lines.push(`pub type Shape${m} do`, "  Circle(Float)", "  Rect(Float, Float)", "  Dot", "end", "");
    let i = 0;
    while (lines.length < 480) {
      lines.push(
        `pub fn step${m}_${i}(n :: Int, acc :: List<Int>) -> Int do`,
        `  let doubled = List.map(acc, fn x -> x * 2 end)`,
        `  let total = List.reduce(doubled, 0, fn a, b -> a + b end)`,
        `  let label = "step ${m} ${i}: \${total} \${n}"`,
        `  let s = case Rect(1.0, 2.0) do`,
        `    Circle(r) -> r * r`,
        `    Rect(w, h) -> w * h`,
        `    Dot -> 0.0`,
        `  end`,
        `  if String.length(label) > 3 and s > 0.5 do`,
        `    total + n${m > 0 && i === 0 ? ` + step${m - 1}_0(n, acc)` : ""}`,
        `  else`,
        `    0`,
        `  end`,
        `end`,
        ``,
        `fn helper${m}_${i}(r :: Rec${m}) -> String do`,
        `  let t = for tag in r.tags when String.length(tag) > 0 do`,
        `    tag <> "!"`,
        `  end`,
        `  "\${r.name} \${r.id} \${t}"`,
        `end`,
        ``,
      );
      i++;
    }
    total += lines.length;
    fs.writeFileSync(path.join(dir, "lib", `mod${m}.mpl`), lines.join("\n") + "\n");
  }
  const main = [`from Lib.Mod${modules - 1} import step${modules - 1}_0`, "", "fn main() do", `  println("\${step${modules - 1}_0(1, [1, 2, 3])}")`, "end", ""];
  total += main.length;
  fs.writeFileSync(path.join(dir, "main.mpl"), main.join("\n"));
  return total;
}
