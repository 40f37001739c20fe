fn double(x :: Int) -> Int = x * 2
fn sub(a :: Int, b :: Int) -> Int = a - b

fn main() do
  let a = 5 |> double |> sub(3)
  let b = 10
    |> sub(4)
    |> fn x -> x * x end
  let c = [1, 2, 3, 4] |> map(fn x -> x + 1 end) |> filter(fn x -> x % 2 == 0 end)
  println("${a} ${b} ${c} ${(a |> double) == 14}")
end
