actor once_ok() do
  println("transient run")
end

actor once_bad() do
  println("temporary run")
  panic("temporary failure")
end

actor doomed() do
  println("doomed starting")
  panic("cannot start")
end

supervisor MixedSup do
  max_restarts: 1
  child t do
    start: fn -> spawn(once_ok) end
    restart: transient
  end
  child tmp do
    start: fn -> spawn(once_bad) end
    restart: temporary
  end
end

supervisor CrashSup do
  strategy: one_for_one
  max_restarts: 2
  max_seconds: 5
  child d do
    start: fn -> spawn(doomed) end
    shutdown: brutal_kill
  end
end

actor sup_watch(sup) do
  let _ = Process.monitor(sup)
  receive do
    Down(_, _, why) -> println("supervisor down: ${why}")
  end
end

fn main() do
  let mixed = spawn(MixedSup)
  Timer.sleep(20)
  println("mixed alive: ${Process.is_alive(mixed)}")
  let sup = spawn(CrashSup)
  spawn(sup_watch, sup)
end
