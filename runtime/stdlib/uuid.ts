// Version-4 UUIDs for Crypto.uuid4 (stdlib.md §24): random, lowercase, 8-4-4-4-12 hex groups.
import { nodeCrypto } from "../core/node-builtin.js";

export function uuid4(): string {
  return nodeCrypto().randomUUID();
}
