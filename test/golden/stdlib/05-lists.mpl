fn main() do
  let xs = [5, 3, 8, 1]
  let ys = List.append(xs, 9)
  println("${xs} ${ys} ${List.reverse(ys)}")
  println("${List.sort(ys, fn(a, b) -> a - b end)}")
  println("${List.take(ys, 2)} ${List.drop(ys, 3)} ${List.take(ys, -1)} ${List.tail([1])}")
  println("${List.get(ys, 2)} ${List.last(ys)} ${List.head(ys)} ${List.concat(xs, [0])}")
  let words = ["kiwi", "fig", "banana", "plum"]
  let lens = List.map(words, fn(w) -> String.length(w) end)
  println("${lens} ${List.filter(words, fn(w) -> String.length(w) < 5 end)}")
  println("${List.reduce(lens, 0, fn(acc, n) -> acc + n end)} ${List.any(lens, fn(n) -> n > 5 end)} ${List.all(lens, fn(n) -> n > 3 end)}")
  let found = List.find(words, fn(w) -> String.starts_with(w, "b") end)
  case found do
    Some(w) -> println("found ${w}")
    None -> println("none")
  end
  println(String.join(List.sort(words, fn(a, b) -> String.length(a) - String.length(b) end), ","))
end
