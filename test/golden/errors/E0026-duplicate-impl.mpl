struct P do
  x :: Int
end

impl Display for P do
  fn to_string(self) -> String do "p" end
end

impl Display for P do
  fn to_string(self) -> String do "q" end
end

fn main() do
  println("${P { x: 1 }}")
end
