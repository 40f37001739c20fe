interface Named do
  fn name(self) -> Self.Label
end

fn main() do
  println("x")
end
