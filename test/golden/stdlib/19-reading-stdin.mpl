fn show(r) -> String do
  case r do
    Ok(s) -> "[" <> s <> "]"
    Err(_) -> "error"
  end
end

fn main() do
  let a = IO.read_line()
  let b = IO.read_line()
  let c = IO.read_line()
  println(show(a) <> show(b) <> show(c))
end
