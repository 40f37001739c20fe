fn show_unit(r) -> String do
  case r do
    Ok(_) -> "ok"
    Err(e) -> e
  end
end

fn main() do
  let path = "/tmp/mesh_spec_a23.txt"
  let _ = File.delete(path)
  println("${File.exists(path)}")
  println(show_unit(File.write(path, "one\n")))
  println(show_unit(File.append(path, "two\n")))
  let r = File.read(path)
  case r do
    Ok(text) -> print(text)
    Err(e) -> println("read failed: " <> e)
  end
  println("${File.exists(path)}")
  println(show_unit(File.delete(path)))
  println(show_unit(File.delete(path)))
  let missing = File.read("/tmp/mesh_spec_no_such_dir/x.txt")
  case missing do
    Ok(_) -> println("?")
    Err(e) -> println(e)
  end
end
