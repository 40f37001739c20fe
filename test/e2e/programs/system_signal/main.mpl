fn on_term() do
  println("got SIGTERM, cleaning up")
  System.exit(3)
end

fn main() do
  let dir = case Env.get("OUT_DIR") do
    Some(d) -> d
    None -> "/tmp/mesh-sys-out"
  end
  case File.mkdir_p(dir) do
    Ok(_) -> println("mkdir ok")
    Err(e) -> println("mkdir error: " <> e)
  end
  let _ = File.write(dir <> "/x.txt", "hi")
  let _ = File.rename(dir <> "/x.txt", dir <> "/y.txt")
  case File.list_dir(dir) do
    Ok(names) -> println(String.join(names, ","))
    Err(e) -> println(e)
  end
  println("on_signal: ${System.on_signal("SIGTERM", on_term)}")
  println("bad: ${System.on_signal("SIGKILL", on_term)}")
  println("ready")
  Timer.sleep(100000)
end
