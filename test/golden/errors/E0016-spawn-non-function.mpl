fn main() do
  let p = spawn(42)
  println("x")
end
