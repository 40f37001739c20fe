# Remote service calls under faults, serving node. Environment: NAME, COOKIE.
# Registers Slow services as global "slow" and "fragile"; stays up for 60 s.
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

actor keeper() do
  receive do
    Stop -> 0
  after 60000 -> 0
  end
end

fn main() do
  let _ = Node.start(env("NAME", ""), env("COOKIE", ""))
  let a = Global.register("slow", Slow.start())
  let b = Global.register("fragile", Slow.start())
  let _ = spawn(keeper)
  println("b ready ${a} ${b}")
end
