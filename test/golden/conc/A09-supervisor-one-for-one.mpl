type Cmd do
  Crash
  Hello
end

fn announce(label :: String, me :: Pid) -> Int do
  let _ = Process.register(label, me)
  println("${label} up")
  0
end

fn say_hello(label :: String) -> Bool do
  println("${label} says hello")
  false
end

actor member(label :: String, fresh :: Bool) do
  let _ = if fresh do announce(label, self()) else 0 end
  receive do
    Crash -> panic("${label} told to crash")
    Hello -> member(label, say_hello(label))
  end
end

supervisor PairSup do
  strategy: one_for_one
  max_restarts: 3
  max_seconds: 5
  child first do
    start: fn -> spawn(member, "alpha", true) end
    restart: permanent
    shutdown: 1000
  end
  child second do
    start: fn -> spawn(member, "beta", true) end
  end
end

fn tell(name :: String, c :: Cmd) do
  send(Process.whereis(name), c)
end

fn main() do
  spawn(PairSup)
  Timer.sleep(10)
  tell("alpha", Crash)
  Timer.sleep(10)
  tell("alpha", Hello)
  tell("beta", Hello)
  Timer.sleep(10)
  println("main exiting")
end
