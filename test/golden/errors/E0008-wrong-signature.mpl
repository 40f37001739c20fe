interface Describe do
  fn describe(self) -> String
end

struct Cat do
  lives :: Int
end

impl Describe for Cat do
  fn describe(self) -> Int do
    self.lives
  end
end

fn main() do
  println("x")
end
