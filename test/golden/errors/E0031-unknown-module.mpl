import Nope

fn main() do
  println("x")
end
