struct P do
  x :: Int
end deriving(Display)

fn main() do
  println("${"a" + "b"}")
  println("${P { x: 1 } == P { x: 1 }}")
end
