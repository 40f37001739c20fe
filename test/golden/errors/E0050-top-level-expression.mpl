println("x")

fn main() do
  println("y")
end
