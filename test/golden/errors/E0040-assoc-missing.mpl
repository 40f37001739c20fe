interface Container do
  type Item
  fn first(self) -> Self.Item
end

struct X do
  n :: Int
end

impl Container for X do
  fn first(self) -> Int do 1 end
end

fn main() do
  println("x")
end
