// Sqlite on a real file across processes: one `meshc run` writes (and commits) rows into a
// relative path, a second, separate run reopens the file and reads them back (stdlib.md §23).
import { describe, it, expect } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { meshc } from "../support/golden.js";

const PROGRAM = `
fn rows(db) -> String do
  case Sqlite.query(db, "SELECT id, label, price FROM items ORDER BY id", []) do
    Ok(rs) -> String.join(List.map(rs, fn(r) -> Map.get(r, "id") <> ":" <> Map.get(r, "label") <> ":" <> Map.get(r, "price") end), ",")
    Err(e) -> "err: " <> e
  end
end

fn main() do
  let mode = Env.get("MODE")
  case Sqlite.open("shop.db") do
    Ok(db) -> do
      if mode == Some("write") do
        let _ = Sqlite.execute(db, "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT, price REAL)", [])
        let _ = Sqlite.begin(db)
        let _ = Sqlite.execute(db, "INSERT INTO items (label, price) VALUES (?, ?)", ["tea", "2.5"])
        let _ = Sqlite.execute(db, "INSERT INTO items (label, price) VALUES (?, ?)", ["o'clock; --", "3"])
        let _ = Sqlite.commit(db)
        let _ = Sqlite.begin(db)
        let _ = Sqlite.execute(db, "INSERT INTO items (label, price) VALUES (?, ?)", ["never", "9"])
        let _ = Sqlite.rollback(db)
        println("wrote")
      else
        println(rows(db))
      end
      Sqlite.close(db)
    end
    Err(e) -> println("open failed: " <> e)
  end
end
`;

describe("Sqlite file survives reopening", () => {
  it("rows written by one program run are read by a second run", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mesh-sqlite-"));
    try {
      const file = path.join(dir, "main.mpl");
      fs.writeFileSync(file, PROGRAM);
      const w = await meshc(["run", file], { cwd: dir, env: { MODE: "write" } });
      expect(w.stderr).toBe("");
      expect(w.stdout).toBe("wrote\n");
      expect(fs.statSync(path.join(dir, "shop.db")).size).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(dir, "shop.db.lock"))).toBe(false);
      const r = await meshc(["run", file], { cwd: dir, env: { MODE: "read" } });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("1:tea:2.5,2:o'clock; --:3.0\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
