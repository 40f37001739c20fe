fn main() do
  let nums = [4, 9, 2, 7, 5, 8]
  let evens = Iter.from(nums) |> Iter.filter(fn x -> x % 2 == 0 end) |> List.collect()
  println("${evens}")
  let n = Iter.from(nums) |> Iter.map(fn x -> x + 1 end) |> Iter.skip(1) |> Iter.take(3) |> Iter.sum()
  println("${n}")
  let first_big = Iter.from(nums) |> Iter.find(fn x -> x > 6 end)
  case first_big do
    Some(v) -> println("first big ${v}")
    None -> println("none")
  end
  let idx = Iter.from(["p", "q"]) |> Iter.enumerate() |> Map.collect()
  println("${idx}")
  println(Iter.from(["m", "e", "s", "h"]) |> String.collect())
  let it = Iter.from(nums)
  let c1 = Iter.count(it)
  let c2 = Iter.count(it)
  println("${c1} ${c2}")
  let prod = Iter.from([1, 2, 3, 4]) |> Iter.reduce(1, fn acc, x -> acc * x end)
  println("${prod}")
  let squares = [1, 2, 3, 4, 5, 6] |> filter(fn x -> x % 2 == 0 end) |> map(fn x -> x * x end)
  let total = reduce(squares, 0, fn(acc, x) -> acc + x end)
  println("${squares} ${total} ${head(squares)} ${tail(squares)}")
end
