# File.sync (decision 82): flushes a file's written data to the disk; errors are values.
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
  case File.read(path) do
    Ok(text) -> print(text)
    Err(e) -> println(e)
  end
  println(show(File.delete(path)))
  println(show(File.sync(path)))
end
