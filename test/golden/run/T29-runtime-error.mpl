fn risky(d :: Int) -> Int = 100 / d

fn main() do
  println("before")
  println("${risky(0)}")
  println("after")
end
