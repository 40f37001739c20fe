fn sub(a :: Int, b :: Int) -> Int = a - b

fn main() do
  println("${sub(1, "two")}")
end
