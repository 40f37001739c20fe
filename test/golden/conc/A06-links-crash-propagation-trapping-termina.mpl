type Poke do
  Boom
end

actor fragile() do
  receive do
    Boom -> panic("fragile broke")
  end
end

actor partner(victim) do
  link(victim)
  receive do
    _ -> println("partner: unexpected")
  end
terminate do
  println("partner terminating")
end
end

actor guardian(victim) do
  let _ = Process.trap_exit(true)
  link(victim)
  receive do
    Exit(_, why) -> println("guardian saw exit: ${why}")
  end
end

fn main() do
  let f = spawn(fragile)
  spawn(partner, f)
  spawn(guardian, f)
  Timer.sleep(10)
  send(f, Boom)
end
