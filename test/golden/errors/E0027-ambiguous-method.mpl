interface A do
  fn show(self) -> String
end

interface B do
  fn show(self) -> String
end

struct P do
  x :: Int
end

impl A for P do
  fn show(self) -> String do "a" end
end

impl B for P do
  fn show(self) -> String do "b" end
end

fn main() do
  println(P { x: 1 }.show())
end
