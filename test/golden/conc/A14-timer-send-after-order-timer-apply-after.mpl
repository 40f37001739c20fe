type Alarm do
  Ring(Int)
end

service Clock do
  fn init() -> Int do
    0
  end
  cast Tick() do |n|
    n + 1
  end
  call Ticks() :: Int do |n|
    (n, n)
  end
end

fn ring(n :: Int) -> Int do
  println("ring ${n}")
  n
end

actor alarm_clock(left :: Int) do
  let _ = receive do
    Ring(n) -> ring(n)
  end
  if left > 1 do alarm_clock(left - 1) else println("alarm done") end
end

fn main() do
  let a = spawn(alarm_clock, 3)
  Timer.send_after(a, 60, Ring(3))
  Timer.send_after(a, 20, Ring(1))
  Timer.send_after(a, 40, Ring(2))
  let c = Clock.start()
  Timer.apply_after(10, fn -> Clock.tick(c) end)
  Timer.apply_after(30, fn -> Clock.tick(c) end)
  println("ticks now ${Clock.ticks(c)}")
  Timer.sleep(100)
  println("ticks later ${Clock.ticks(c)}")
end
