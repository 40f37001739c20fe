struct Point do
  x :: Int
  y :: Int
end

fn main() do
  let p = Point { x: 1 }
  println("${p.z}")
end
