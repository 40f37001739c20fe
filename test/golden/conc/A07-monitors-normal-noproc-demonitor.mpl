type Trigger do
  Fire
end

actor short_lived() do
  receive do
    Fire -> println("short lived running")
  end
end

actor watcher(target, tag :: String) do
  let r = Process.monitor(target)
  receive do
    Down(ref, _, why) -> println("${tag}: ref ok ${ref == r}, reason ${why}")
  end
end

actor quiet_watcher(target) do
  let r = Process.monitor(target)
  let removed = Process.demonitor(r)
  receive do
    Down(_, _, _) -> println("quiet: unexpected down")
  after 100 -> println("quiet: demonitor ${removed}, no down")
  end
end

fn main() do
  let s = spawn(short_lived)
  spawn(watcher, s, "early")
  spawn(quiet_watcher, s)
  Timer.sleep(10)
  send(s, Fire)
  Timer.sleep(10)
  spawn(watcher, s, "late")
end
