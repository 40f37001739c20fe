struct P do
  x :: Int
end deriving(Clone)

fn main() do
  println("x")
end
