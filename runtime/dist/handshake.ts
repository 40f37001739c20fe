// The cookie handshake of the distribution layer (concurrency.md §7.4): node-name syntax, the
// HMAC-SHA256 proofs with role labels over the transcript T, constant-time comparison, REJECT
// codes, and the per-connection state machine (HELLO → CHALLENGE → PROOF → ACCEPT).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Frame } from "./wire.js";

export const PROTOCOL_VERSION = 1;
export const HANDSHAKE_TIMEOUT_MS = 5000;

export const REJECT_VERSION = 1;
export const REJECT_AUTH = 2;
export const REJECT_DUPLICATE = 3;
export const REJECT_NAME = 4;
export const REJECT_PROTOCOL = 5;

const REJECT_TEXT: Record<number, string> = {
  1: "unsupported version",
  2: "authentication failed",
  3: "duplicate connection",
  4: "invalid or conflicting name",
  5: "protocol error",
};

export function rejectText(code: number): string {
  return REJECT_TEXT[code] ?? `rejected (code ${code})`;
}

export interface NodeAddress {
  name: string;
  host: string;
  port: number;
}

const NAME_PART = /^[A-Za-z0-9_-]+$/;

/** Parses `name@host[:port]` (§6.1); null if invalid. */
export function parseNodeName(full: string): NodeAddress | null {
  if (Buffer.byteLength(full, "utf8") > 255) return null;
  const at = full.indexOf("@");
  if (at <= 0) return null;
  const name = full.slice(0, at);
  if (!NAME_PART.test(name)) return null;
  const rest = full.slice(at + 1);
  let host: string;
  let portText: string | null;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 2) return null;
    host = rest.slice(0, close + 1);
    const after = rest.slice(close + 1);
    if (after === "") portText = null;
    else if (after.startsWith(":")) portText = after.slice(1);
    else return null;
    if (!/^\[[0-9A-Fa-f:.]+\]$/.test(host)) return null;
  } else {
    const colon = rest.indexOf(":");
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? null : rest.slice(colon + 1);
  }
  if (host === "" || /[@\s]/.test(host)) return null;
  let port = 9000;
  if (portText !== null) {
    if (!/^[0-9]{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port > 65535) return null;
  }
  return { name, host, port };
}

/** A random non-zero u32 (§7.4 creation). */
export function newCreation(): number {
  for (;;) {
    const c = randomBytes(4).readUInt32LE(0);
    if (c !== 0) return c;
  }
}

function str16(s: string): Buffer {
  const b = Buffer.from(s, "utf8");
  const out = Buffer.allocUnsafe(2 + b.length);
  out.writeUInt16LE(b.length, 0);
  b.copy(out, 2);
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

/** T = nonce_i ‖ nonce_a ‖ str16(I name) ‖ str16(A name) ‖ u32(I creation) ‖ u32(A creation). */
export function transcript(nonceI: Uint8Array, nonceA: Uint8Array, iName: string, aName: string, iCre: number, aCre: number): Buffer {
  return Buffer.concat([nonceI, nonceA, str16(iName), str16(aName), u32(iCre), u32(aCre)]);
}

export function proofMac(role: "initiator" | "acceptor", cookie: string, t: Buffer): Buffer {
  return createHmac("sha256", Buffer.from(cookie, "utf8")).update(`MESH/1 ${role}`, "latin1").update(t).digest();
}

/** Constant-time MAC comparison on equal-length buffers (a length mismatch is simply false). */
export function macMatches(expected: Buffer, got: Uint8Array): boolean {
  if (got.length !== expected.length) return false;
  return timingSafeEqual(expected, got);
}

/** What the node decides about a HELLO it accepted (acceptor side). */
export interface HandshakeHost {
  readonly name: string;
  readonly creation: number;
  readonly cookie: string;
  /** null to go on, or a REJECT code (duplicate connection, conflicting name). */
  admit(peerName: string, peerCreation: number): number | null;
}

/** The outcome of one handshake frame. */
export type HsStep =
  | { k: "send"; frame: OutHandshake }
  /** established; `reply` (acceptor: ACCEPT) is sent first */
  | { k: "done"; peerName: string; peerCreation: number; reply: OutHandshake | null }
  /** the peer rejected us (initiator) */
  | { k: "rejected"; code: number; text: string }
  /** we reject: send the REJECT, close, log `reason` */
  | { k: "reject"; code: number; reason: string; frame: OutHandshake }
  /** we give up without a REJECT (bad ACCEPT mac, wrong peer name): close, log `reason` */
  | { k: "fail"; reason: string };

export type OutHandshake = Extract<Frame, { kind: "HELLO" | "CHALLENGE" | "PROOF" | "ACCEPT" | "REJECT" }>;

/**
 * One side of a handshake. The initiator starts with `hello()`; each received handshake frame
 * goes to `onFrame`, which returns what to do. Frames out of order are a protocol error.
 */
export class Handshake {
  private state: "hello" | "challenge" | "proof" | "accept" | "done" = "hello";
  private readonly nonce = randomBytes(32);
  private t: Buffer | null = null;
  peerName = "";
  peerCreation = 0;

  constructor(
    readonly role: "initiator" | "acceptor",
    private readonly host: HandshakeHost,
    /** initiator: the node name we dialled (the CHALLENGE must carry exactly this name) */
    private readonly target: string = "",
  ) {
    if (role === "initiator") this.state = "challenge";
  }

  hello(): OutHandshake {
    const h = this.host;
    return { kind: "HELLO", version: PROTOCOL_VERSION, name: h.name, creation: h.creation, nonce: this.nonce };
  }

  private reject(code: number, reason: string): HsStep {
    return { k: "reject", code, reason, frame: { kind: "REJECT", code, name: this.host.name, text: rejectText(code) } };
  }

  onFrame(f: Frame): HsStep {
    const h = this.host;
    if (f.kind === "REJECT" && this.role === "initiator" && this.state !== "done") {
      return { k: "rejected", code: f.code, text: f.text };
    }
    switch (this.state) {
      case "hello": {
        if (f.kind !== "HELLO") return this.reject(REJECT_PROTOCOL, `protocol error (${f.kind} before HELLO)`);
        if (f.version !== PROTOCOL_VERSION) return this.reject(REJECT_VERSION, `unsupported version ${f.version}`);
        if (parseNodeName(f.name) === null) return this.reject(REJECT_NAME, "invalid node name");
        if (f.name === h.name) return this.reject(REJECT_NAME, "the peer uses this node's own name");
        if (f.creation === 0) return this.reject(REJECT_PROTOCOL, "creation 0");
        const verdict = h.admit(f.name, f.creation);
        if (verdict !== null) return this.reject(verdict, rejectText(verdict));
        this.peerName = f.name;
        this.peerCreation = f.creation;
        this.t = transcript(f.nonce, this.nonce, f.name, h.name, f.creation, h.creation);
        this.state = "proof";
        return {
          k: "send",
          frame: { kind: "CHALLENGE", version: PROTOCOL_VERSION, name: h.name, creation: h.creation, nonce: this.nonce },
        };
      }
      case "proof": {
        if (f.kind !== "PROOF") return this.reject(REJECT_PROTOCOL, `protocol error (${f.kind} instead of PROOF)`);
        const expected = proofMac("initiator", h.cookie, this.t!);
        if (!macMatches(expected, f.mac)) return this.reject(REJECT_AUTH, "authentication failed");
        this.state = "done";
        return {
          k: "done",
          peerName: this.peerName,
          peerCreation: this.peerCreation,
          reply: { kind: "ACCEPT", mac: proofMac("acceptor", h.cookie, this.t!) },
        };
      }
      case "challenge": {
        if (f.kind !== "CHALLENGE") return { k: "fail", reason: `protocol error (${f.kind} instead of CHALLENGE)` };
        if (f.version !== PROTOCOL_VERSION) return { k: "fail", reason: `unsupported version ${f.version}` };
        if (f.name === h.name) return { k: "fail", reason: "the peer is this node" };
        if (f.name !== this.target) return { k: "fail", reason: `the peer is named ${f.name}` };
        if (f.creation === 0) return { k: "fail", reason: "protocol error (creation 0)" };
        this.peerName = f.name;
        this.peerCreation = f.creation;
        this.t = transcript(this.nonce, f.nonce, h.name, f.name, h.creation, f.creation);
        this.state = "accept";
        return { k: "send", frame: { kind: "PROOF", mac: proofMac("initiator", h.cookie, this.t) } };
      }
      case "accept": {
        if (f.kind !== "ACCEPT") return { k: "fail", reason: `protocol error (${f.kind} instead of ACCEPT)` };
        if (!macMatches(proofMac("acceptor", h.cookie, this.t!), f.mac)) return { k: "fail", reason: "authentication failed" };
        this.state = "done";
        return { k: "done", peerName: this.peerName, peerCreation: this.peerCreation, reply: null };
      }
      default:
        return { k: "fail", reason: `protocol error (${f.kind} after the handshake)` };
    }
  }
}
