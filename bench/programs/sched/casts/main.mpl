# Service cast benchmark: one client actor sends 1,000,000 casts from its own loop (preempted
# every 4000 reductions, so the service works through them meanwhile), then makes one call that
# observes them all.

service Counter do
  fn init(n :: Int) -> Int do
    n
  end
  cast Bump(k :: Int) do |s|
    s + k
  end
  call Get() :: Int do |s|
    (s, s)
  end
end

actor caster(svc :: Pid, left :: Int) do
  if left == 0 do
    let total = Counter.get(svc)
    println("casts ${total}")
  else
    Counter.bump(svc, 1)
    caster(svc, left - 1)
  end
end

fn main() do
  let svc = Counter.start(0)
  spawn(caster, svc, 1000000)
end
