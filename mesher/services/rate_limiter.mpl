# Per-project fixed-window rate limiting (mesher.md §6.3): one counter per project, cleared by the
# window ticker every MESHER_RATE_LIMIT_WINDOW_S seconds from the node's start.
from Services.Faults import stall_if_injected

struct RateState do
  max :: Int
  counts :: Map<String, Int>
end

service RateLimiter do
  fn init(max :: Int) -> RateState do
    RateState { max: max, counts: %{} }
  end

  # Takes n units if they all fit; otherwise takes nothing.
  call Check(project_id :: String, n :: Int) :: Bool do |s|
    let used = Map.get(s.counts, project_id)
    if used + n <= s.max do
      (%{s | counts: Map.put(s.counts, project_id, used + n)}, true)
    else
      (s, false)
    end
  end

  cast Reset() do |s|
    %{s | counts: %{}}
  end

  call Ping() :: Bool do |s|
    stall_if_injected("RateLimiter")
    (s, true)
  end
end

# Clears all counters once per window; ends when its limiter is gone (a restart starts a new one).
actor rate_window_ticker(limiter :: Pid, window_ms :: Int) do
  receive do
  after window_ms -> ()
  end
  if Process.is_alive(limiter) do
    RateLimiter.reset(limiter)
    rate_window_ticker(limiter, window_ms)
  else
    ()
  end
end
