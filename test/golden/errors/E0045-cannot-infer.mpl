fn main() do
  let v = default()
  println("${v}")
end
