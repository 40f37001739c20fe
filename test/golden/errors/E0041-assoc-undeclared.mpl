interface Named do
  fn name(self) -> String
end

struct X do
  n :: Int
end

impl Named for X do
  type Key = Int
  fn name(self) -> String do "x" end
end

fn main() do
  println("x")
end
