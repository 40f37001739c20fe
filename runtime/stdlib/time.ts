// The Time and DateTime modules [EXT] (stdlib.md §24).
// `performance` is the global, which Node sets up on first use (importing node:perf_hooks would
// load ~10 internal modules at every start-up).

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
