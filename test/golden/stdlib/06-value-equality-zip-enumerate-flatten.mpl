fn main() do
  let levels = ["error", "warning", "info"]
  let input = String.to_lower("WARNING")
  println("${List.contains(levels, input)}")
  println("${List.contains(levels, "debug")}")
  let pairs = List.zip([1, 2, 3], ["a", "b"])
  println("${List.length(pairs)}")
  let first = List.head(pairs)
  println("${Tuple.first(first)}-${Tuple.second(first)}")
  let last = List.last(List.enumerate(["x", "y"]))
  println("${Tuple.first(last)}:${Tuple.second(last)}")
  println("${List.flat_map([1, 2], fn(n) -> [n, n * 100] end)}")
  println("${List.flatten([[1], [], [2, 3]])}")
end
