// The Crypto module [EXT] (stdlib.md §24).
import { nodeCrypto } from "../core/node-builtin.js";
import { uuid4 } from "./uuid.js";

export const Crypto_ = {
  uuid4,
  sha256: (s: string): string => nodeCrypto().createHash("sha256").update(s, "utf8").digest("hex"),
  random_hex: (n: number): string => (n <= 0 ? "" : nodeCrypto().randomBytes(n).toString("hex")),
};
