fn a() -> Int do
  "not an int"
end

fn b(x :: Int) -> String do
  x + undefined_name
end

fn main() do
  let s :: String = 42
  println(a())
end
