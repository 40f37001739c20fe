# T30a — E0001: Int + Float
fn main() do
  let total = 1 + 2.5
  println("${total}")
end
