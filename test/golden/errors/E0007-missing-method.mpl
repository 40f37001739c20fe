interface Describe do
  fn describe(self) -> String
end

struct Cat do
  lives :: Int
end

impl Describe for Cat do
end

fn main() do
  println("x")
end
