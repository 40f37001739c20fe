# Remote service calls under faults, calling node. Environment: NAME, COOKIE, SERVER.
# Each call runs in its own monitored process; its exit reason is printed. The last call
# (10 s) is cut by the test killing the server: call failed: noconnection.
type Ctl do
  Stop
end

service Slow do
  fn init() -> Int do
    0
  end
  call Wait(ms :: Int) :: Int do |n|
    Timer.sleep(ms)
    (n + 1, ms)
  end
  call Explode() :: Int do |n|
    (n, panic("service exploded"))
  end
  call GetFn() :: Fun() -> Int do |n|
    (n, fn -> n end)
  end
end

fn env(name :: String, default :: String) -> String do
  case Env.get(name) do
    Some(s) -> s
    None -> default
  end
end

actor call_fn(s :: Pid) do
  let f = Slow.get_fn(s)
  println("got a function: ${f() >= 0}")
end

actor call_wait(s :: Pid, ms :: Int) do
  println("calling ${ms}")
  let v = Slow.wait(s, ms)
  println("waited ${v}")
end

actor call_explode(s :: Pid) do
  let v = Slow.explode(s)
  println("exploded ${v}")
end


actor driver(s :: Pid, f :: Pid) do
  let a = spawn(call_fn, s)
  let _ = Process.monitor(a)
  receive do
    Down(_, _, why) -> println("fn caller down: ${why}")
  end
  let b = spawn(call_wait, s, 10)
  let _ = Process.monitor(b)
  receive do
    Down(_, _, why) -> println("wait caller down: ${why}")
  end
  let c = spawn(call_explode, f)
  let _ = Process.monitor(c)
  receive do
    Down(_, _, why) -> println("explode caller down: ${why}")
  end
  let d = spawn(call_wait, s, 7000)
  let _ = Process.monitor(d)
  receive do
    Down(_, _, why) -> println("slow caller down: ${why}")
  end
  let e = spawn(call_wait, s, 10000)
  let _ = Process.monitor(e)
  receive do
    Down(_, _, why) -> println("cut caller down: ${why}")
  end
end

fn main() do
  let _ = Node.start(env("NAME", ""), env("COOKIE", ""))
  let rc = Node.connect(env("SERVER", ""))
  println("connect ${rc}")
  spawn(driver, Global.whereis("slow"), Global.whereis("fragile"))
end
