// Version-4 UUIDs for Crypto.uuid4 (stdlib.md §24): random, lowercase, 8-4-4-4-12 hex groups.
import { randomUUID } from "node:crypto";

export function uuid4(): string {
  return randomUUID();
}
