service Fragile do
  fn init() -> Int do
    0
  end
  call Explode() :: Int do |s|
    (s, panic("service exploded"))
  end
  call Ping() :: Int do |s|
    (s, 1)
  end
end

actor client(svc) do
  println("client calling")
  let v = Fragile.explode(svc)
  println("client got ${v}")
end

actor late_client(svc) do
  Timer.sleep(5)
  let v = Fragile.ping(svc)
  println("late got ${v}")
end

actor watch_one(target) do
  let _ = Process.monitor(target)
  receive do
    Down(_, _, why) -> println("down: ${why}")
  end
end

fn main() do
  let svc = Fragile.start()
  let c = spawn(client, svc)
  spawn(watch_one, svc)
  spawn(watch_one, c)
  Timer.sleep(20)
  let late = spawn(late_client, svc)
  spawn(watch_one, late)
end
