# File.sync and File.append_durable (decision 82): data flushed to the disk; errors are values.
fn show(r :: Result<(), String>) -> String do
  case r do
    Ok(_) -> "ok"
    Err(e) -> "error: " <> e
  end
end

fn main() do
  let path = "/tmp/mesh_golden_sync_${Random.int(0, 1000000000)}.log"
  println(show(File.append(path, "one\n")))
  println(show(File.sync(path)))
  println(show(File.append(path, "two\n")))
  println(show(File.sync(path)))
  println(show(File.append_durable(path, "three\n")))
  case File.read(path) do
    Ok(text) -> print(text)
    Err(e) -> println(e)
  end
  println(show(File.delete(path)))
  println(show(File.sync(path)))
  println(show(File.append_durable("/tmp/mesh_no_such_dir_for_golden/x.log", "x")))
end
