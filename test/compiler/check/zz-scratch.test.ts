import { it } from "vitest";
import { check } from "/work/main/test/compiler/check/project.js";
it("x", () => {
  const c = check(process.env.SRC!);
  console.log([...c.parseDiags.map(d=>d.code+" "+d.message), ...c.lines].join("\n"));
});
