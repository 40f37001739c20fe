# Service cast benchmark, burst form: `main` sends 1,000,000 casts from a plain (never
# suspending, so never preempted) helper function — all in one turn, so they pile up in the
# service's mailbox — then makes one call that observes them all.

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

fn cast_loop(svc :: Pid, i :: Int) -> Int do
  if i == 0 do
    0
  else
    Counter.bump(svc, 1)
    cast_loop(svc, i - 1)
  end
end

fn main() do
  let svc = Counter.start(0)
  cast_loop(svc, 1000000)
  let total = Counter.get(svc)
  println("casts ${total}")
end
