// Test helpers for the web and database runtime tests: run a generator as a Mesh process on a
// scheduler whose stderr is captured, and speak raw HTTP/1.1 over a socket for exact wire checks.
import * as net from "node:net";
import { Scheduler, setDefaultScheduler, spawn } from "../../../runtime/sched/index.js";

export interface Captured {
  sched: Scheduler;
  stderr: string[];
}

/** Installs a fresh real-clock default scheduler whose stderr lines are collected. */
export function installScheduler(): Captured {
  const stderr: string[] = [];
  const sched = new Scheduler({ stderr: (s) => stderr.push(s), stdout: () => {}, exit: () => {} });
  setDefaultScheduler(sched);
  return { sched, stderr };
}

/** Runs `fn(...args)` as a process; resolves with its return value or rejects with its error. */
export function inProcess<T>(fn: (...args: never[]) => Generator<unknown, T, unknown> | T, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    function* body(): Generator<unknown, void, unknown> {
      try {
        const r = (fn as (...a: unknown[]) => unknown)(...args);
        if (r !== null && typeof r === "object" && typeof (r as Generator).next === "function") resolve((yield* r as Generator<unknown, T, unknown>) as T);
        else resolve(r as T);
      } catch (e) {
        reject(e);
      }
    }
    spawn(body, []);
  });
}

export interface RawReply {
  raw: string;
  status: number;
  statusLine: string;
  headers: [string, string][];
  body: string;
}

/** Sends `request` bytes on a fresh connection and reads until the server closes it. */
export function rawHttp(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error("raw HTTP timed out: " + Buffer.concat(chunks).toString("latin1")));
    }, timeoutMs);
    sock.on("data", (c) => chunks.push(c));
    sock.on("error", () => {});
    sock.on("close", () => {
      clearTimeout(timer);
      const buf = Buffer.concat(chunks);
      const sep = buf.indexOf("\r\n\r\n");
      const head = (sep < 0 ? buf : buf.subarray(0, sep)).toString("latin1");
      const body = sep < 0 ? "" : buf.subarray(sep + 4).toString("utf8");
      const lines = head.split("\r\n");
      const headers = lines.slice(1).filter((l) => l !== "").map((l): [string, string] => {
        const i = l.indexOf(":");
        return [l.slice(0, i), l.slice(i + 1).trim()];
      });
      resolve({ raw: buf.toString("latin1"), status: Number(lines[0]?.split(" ")[1] ?? 0), statusLine: lines[0] ?? "", headers, body });
    });
    sock.write(typeof request === "string" ? Buffer.from(request, "latin1") : request);
  });
}

export function header(r: RawReply, name: string): string | undefined {
  return r.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}
