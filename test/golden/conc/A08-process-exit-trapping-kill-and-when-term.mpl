actor sleeper() do
  receive do
    _ -> println("sleeper: unexpected")
  end
terminate do
  println("sleeper cleaned up")
end
end

actor trapper() do
  let _ = Process.trap_exit(true)
  receive do
    Exit(_, why) -> println("trapper got exit: ${why}")
  end
  receive do
    _ -> println("trapper: unexpected")
  end
terminate do
  println("trapper cleaned up")
end
end

actor finisher() do
  println("finisher ran")
terminate do
  println("finisher cleaned up")
end
end

actor observer(a, b) do
  let _ = Process.monitor(a)
  let _ = Process.monitor(b)
  receive do
    Down(_, _, why) -> println("down: ${why}")
  end
  receive do
    Down(_, _, why) -> println("down: ${why}")
  end
end

fn main() do
  let s = spawn(sleeper)
  let t = spawn(trapper)
  spawn(observer, s, t)
  spawn(finisher)
  Timer.sleep(10)
  Process.exit(s, "shutdown")
  Timer.sleep(10)
  Process.exit(t, "shutdown")
  Timer.sleep(10)
  Process.exit(t, "kill")
end
