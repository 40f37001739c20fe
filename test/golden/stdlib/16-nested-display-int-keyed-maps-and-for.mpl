fn main() do
  let grid = [[1, 2], [], [3]]
  let flags = [true, false]
  let temps = [20.5, 21.0, -0.25]
  let nested = %{"xs" => [1, 2], "ys" => []}
  println("${grid}")
  println("${flags} ${temps}")
  println("${nested}")
  let names = ["Ann", "Bo"]
  println(names.to_string())
  let keys = [3, 1, 2]
  let squares = Map.from_list(List.zip(keys, List.map(keys, fn(n) -> n * n end)))
  println("${squares}")
  let labels = for {k, v} in squares do
    "${k}:${v}"
  end
  println(String.join(labels, " "))
  println("${Map.get(squares, 2)} ${Map.get(squares, 4)}")
end
