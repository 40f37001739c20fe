# Memory benchmark: 100,000 processes blocked in receive (the harness measures RSS once the
# program is idle, i.e. every waiter has reached its receive).

actor waiter(tag :: Int) do
  receive do
    n when n == tag -> println("woken ${n}")
  end
end

fn spawn_waiters(i :: Int) -> Int do
  if i == 0 do
    0
  else
    spawn(waiter, i)
    spawn_waiters(i - 1)
  end
end

fn main() do
  spawn_waiters(100000)
  println("spawned")
end
