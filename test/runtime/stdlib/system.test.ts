// IO, File, Env, Crypto, Random, Time (stdlib.md §2, §14, §15, §24).
import { afterEach, describe, expect, it } from "vitest";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as lib from "../../../runtime/stdlib/index.js";
import { Err, None, Ok, Some } from "../../../runtime/core/builtin-types.js";
import { text } from "../../../runtime/core/text.js";
import { setStdinFd } from "../../../runtime/stdlib/io.js";

function drive<R>(g: Generator<unknown, R, unknown>): R {
  let s = g.next();
  while (!s.done) s = g.next();
  return s.value;
}

describe("output", () => {
  afterEach(() => lib.setOutputSink(null));
  it("println/print buffer stdout and flush before stderr, in program order", () => {
    const log: string[] = [];
    lib.setOutputSink({ stdout: (s) => log.push("out:" + s), stderr: (s) => log.push("err:" + s) });
    lib.prelude.print("n=");
    lib.prelude.println("1");
    lib.prelude.eprintln("warn");
    lib.prelude.println("ready");
    lib.IO.eprintln("bad input");
    lib.flushStdout();
    expect(log).toEqual(["out:n=1\n", "err:warn\n", "out:ready\n", "err:bad input\n"]);
  });
  it("flushes at the end of the current synchronous run", async () => {
    const log: string[] = [];
    lib.setOutputSink({ stdout: (s) => log.push(s), stderr: () => {} });
    lib.prelude.println("a");
    lib.prelude.println("b");
    expect(log).toEqual([]);
    await Promise.resolve();
    expect(log).toEqual(["a\nb\n"]);
  });
});

describe("IO.read_line", () => {
  it("A19: strips one \\n then one \\r; Ok(\"\") at end of input", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-io-"));
    const p = join(dir, "in.txt");
    writeFileSync(p, "first\r\nsecond\n");
    const fd = openSync(p, "r");
    setStdinFd(fd);
    try {
      const show = (r: unknown) => (r instanceof Ok ? "[" + r._0 + "]" : "error");
      const a = drive(lib.IO.read_line());
      const b = drive(lib.IO.read_line());
      const c = drive(lib.IO.read_line());
      expect(show(a) + show(b) + show(c)).toBe("[first][second][]");
    } finally {
      closeSync(fd);
      setStdinFd(0);
      rmSync(dir, { recursive: true });
    }
  });
  it("returns a last line without newline, and handles \\r\\r and invalid UTF-8", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-io-"));
    const p = join(dir, "in.txt");
    writeFileSync(p, Buffer.concat([Buffer.from("a\r\r\nü\n"), Buffer.from([0xff, 0x0a]), Buffer.from("tail")]));
    const fd = openSync(p, "r");
    setStdinFd(fd);
    try {
      expect(drive(lib.IO.read_line())).toEqual(new Ok("a\r"));
      expect(drive(lib.IO.read_line())).toEqual(new Ok("ü"));
      expect(drive(lib.IO.read_line())).toEqual(new Err("stream did not contain valid UTF-8"));
      expect(drive(lib.IO.read_line())).toEqual(new Ok("tail"));
      expect(drive(lib.IO.read_line())).toEqual(new Ok(""));
    } finally {
      closeSync(fd);
      setStdinFd(0);
      rmSync(dir, { recursive: true });
    }
  });
});

describe("File", () => {
  it("A18: write, append, read, exists, delete, errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-file-"));
    const path = join(dir, "a.txt");
    const unit = (r: unknown) => (r instanceof Ok ? "ok" : (r as Err<string>)._0);
    try {
      expect(lib.File.exists(path)).toBe(false);
      expect(unit(lib.File.write(path, "one\n"))).toBe("ok");
      expect(unit(lib.File.append(path, "two\n"))).toBe("ok");
      expect(lib.File.read(path)).toEqual(new Ok("one\ntwo\n"));
      expect(lib.File.exists(path)).toBe(true);
      expect(unit(lib.File.delete(path))).toBe("ok");
      expect(unit(lib.File.delete(path))).toBe("No such file or directory (os error 2)");
      expect(unit(lib.File.read(join(dir, "no_such_dir/x.txt")))).toBe("No such file or directory (os error 2)");
      expect(lib.File.exists(dir)).toBe(true);
      expect(unit(lib.File.append(join(dir, "new.txt"), "!"))).toBe("ok");
      expect(readFileSync(join(dir, "new.txt"), "utf8")).toBe("!");
      expect(unit(lib.File.delete(dir))).toBe("Is a directory (os error 21)");
      expect(unit(lib.File.read(dir))).toBe("Is a directory (os error 21)");
      expect(unit(lib.File.write(join(dir, "new.txt", "x"), "y"))).toBe("Not a directory (os error 20)");
      mkdirSync(join(dir, "sub"));
      expect(unit(lib.File.write(join(dir, "sub"), "y"))).toBe("Is a directory (os error 21)");
      writeFileSync(join(dir, "bad.bin"), Buffer.from([0x61, 0xff]));
      expect(unit(lib.File.read(join(dir, "bad.bin")))).toBe("stream did not contain valid UTF-8");
      writeFileSync(join(dir, "bom.txt"), "\ufeffx");
      expect(lib.File.read(join(dir, "bom.txt"))).toEqual(new Ok("\ufeffx"));
      symlinkSync(join(dir, "missing"), join(dir, "dangling"));
      expect(lib.File.exists(join(dir, "dangling"))).toBe(false);
      if (process.getuid?.() !== 0) {
        writeFileSync(join(dir, "ro.txt"), "x");
        chmodSync(join(dir, "ro.txt"), 0o000);
        expect(unit(lib.File.read(join(dir, "ro.txt")))).toBe("Permission denied (os error 13)");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Env", () => {
  it("A13: set, empty, unset, invalid names", () => {
    process.env.SPEC_GREETING = "hello world";
    process.env.SPEC_EMPTY = "";
    delete process.env.SPEC_MISSING;
    const show = (n: string) => {
      const v = lib.Env.get(n);
      return v instanceof Some ? `${n}=[${v._0}]` : `${n} unset`;
    };
    expect([show("SPEC_GREETING"), show("SPEC_EMPTY"), show("SPEC_MISSING")]).toEqual(["SPEC_GREETING=[hello world]", "SPEC_EMPTY=[]", "SPEC_MISSING unset"]);
    expect(lib.Env.get("")).toBe(None);
    expect(lib.Env.get("A=B")).toBe(None);
    expect(lib.Env.get("A\0")).toBe(None);
  });
});

describe("Crypto, Random, Time, DateTime", () => {
  it("Crypto", () => {
    const u = lib.Crypto.uuid4();
    expect(lib.String.length(u)).toBe(36);
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lib.Crypto.uuid4()).not.toBe(u);
    expect(lib.Crypto.sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(lib.Crypto.sha256("é")).toBe("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"); // UTF-8 bytes c3 a9
    expect(lib.Crypto.random_hex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(lib.Crypto.random_hex(0)).toBe("");
    expect(lib.Crypto.random_hex(-3)).toBe("");
  });
  it("Random.int is uniform-ish in [lo, hi] and panics on lo > hi", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const r = lib.Random.int(1, 6);
      expect(r >= 1 && r <= 6 && Number.isInteger(r)).toBe(true);
      seen.add(r);
    }
    expect(seen.size).toBe(6);
    expect(lib.Random.int(5, 5)).toBe(5);
    expect(() => lib.Random.int(2, 1)).toThrow();
  });
  it("Time and DateTime", () => {
    const t0 = lib.Time.now_ms();
    expect(Math.abs(t0 - Date.now())).toBeLessThan(1000);
    const m1 = lib.Time.monotonic_ms();
    const m2 = lib.Time.monotonic_ms();
    expect(m2).toBeGreaterThanOrEqual(m1);
    expect(Number.isInteger(m1)).toBe(true);
    expect(lib.DateTime.utc_now()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(text(lib.Time.now_ms())).not.toContain("e");
  });
});
