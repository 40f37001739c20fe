struct Countdown do
  n :: Int
end

impl Iterator for Countdown do
  type Item = Int
  fn next(self) -> Int do
    self.n
  end
end

fn main() do
  println("${Countdown { n: 1 }.n}")
end
