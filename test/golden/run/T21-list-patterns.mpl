fn total(xs :: List<Int>) -> Int do
  case xs do
    h :: t -> h + total(t)
    _ -> 0
  end
end

fn second(xs :: List<String>) -> String do
  case xs do
    _ :: s :: _ -> s
    _ -> "none"
  end
end

fn main() do
  println("${total([1, 2, 3, 4])} ${total([])} ${second(["a", "b", "c"])} ${second(["z"])}")
  case ["x", "yy", "zzz"] do
    [] -> println("empty")
    first :: rest -> println("${first} then ${List.length(rest)}")
  end
end
