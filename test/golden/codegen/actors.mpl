# Actors with receive/after and continuation calls, services, supervisors; generator/plain split.
type Msg do
  Add(Int)
  Report
end

fn double(n :: Int) -> Int = n * 2

actor tally(total :: Int) do
  receive do
    Add(n) when n > 0 -> tally(total + double(n))
    Report -> println("total=${total}")
  after 100 -> println("idle")
  end
terminate do
  println("tally stopping at ${total}")
end
end

service Counter do
  fn init(start :: Int) -> Int do
    start
  end
  call Get() :: Int do |n|
    (n, n)
  end
  cast Bump(k :: Int) do |n|
    n + k
  end
end

supervisor Top do
  strategy: one_for_one
  max_restarts: 2
  child worker do
    start: fn -> spawn(tally, 0) end
    restart: transient
  end
end

fn main() do
  let t = spawn(tally, 0)
  send(t, Add(2))
  send(t, Report)
  let c = Counter.start(10)
  Counter.bump(c, 5)
  println("counter ${Counter.get(c)}")
  spawn(Top)
end
