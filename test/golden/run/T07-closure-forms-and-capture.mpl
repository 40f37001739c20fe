fn apply_twice(f :: Fun(Int) -> Int, x :: Int) -> Int do
  f(f(x))
end

fn main() do
  let k = 5
  let add_k = fn(x :: Int) -> x + k end
  let square = fn x -> x * x end
  let combine = fn a, b -> a * 10 + b end
  let verbose = fn(x) do
    let y = x + 1
    y * 2
  end
  let thunk = fn -> 42 end
  let classify = fn 0 -> "zero" | n when n < 0 -> "neg" | _ -> "pos" end
  println("${add_k(1)} ${square(7)} ${combine(3, 4)} ${verbose(4)} ${thunk()}")
  println("${apply_twice(add_k, 0)} ${apply_twice(fn x -> x * 3 end, 2)}")
  println("${classify(0)} ${classify(-3)} ${classify(8)}")
end
