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

actor crew(label :: String, fresh :: Bool) do
  let _ = if fresh do announce(label, self()) else 0 end
  receive do
    Crash -> panic("${label} failed")
    Hello -> crew(label, say_hello(label))
  end
terminate do
  println("${label} stopping")
end
end

supervisor AllSup do
  strategy: one_for_all
  child a do
    start: fn -> spawn(crew, "alpha", true) end
  end
  child b do
    start: fn -> spawn(crew, "beta", true) end
  end
end

fn main() do
  spawn(AllSup)
  Timer.sleep(10)
  send(Process.whereis("alpha"), Crash)
  Timer.sleep(20)
  println("main exiting")
end
