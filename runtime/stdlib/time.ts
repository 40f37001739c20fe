// The Time and DateTime modules [EXT] (stdlib.md §24).
import { performance } from "node:perf_hooks";

let lastMono = 0;

export const Time_ = {
  now_ms: (): number => Date.now(),
  monotonic_ms: (): number => {
    const t = Math.floor(performance.now());
    if (t > lastMono) lastMono = t;
    return lastMono;
  },
};

export const DateTime_ = {
  /** `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC. */
  utc_now: (): string => new Date().toISOString(),
};
