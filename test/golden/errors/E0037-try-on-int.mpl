fn f() -> Int!String do
  let v = 5?
  Ok(v)
end

fn main() do
  println("${f()}")
end
