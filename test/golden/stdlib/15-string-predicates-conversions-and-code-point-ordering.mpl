fn by_alpha(a :: String, b :: String) -> Int do
  if a < b do
    -1
  else
    if a > b do 1 else 0 end
  end
end

fn main() do
  let s = "Mesh-Lang"
  println("${String.contains(s, "-")} ${String.starts_with(s, "mesh")} ${String.ends_with(s, "Lang")}")
  println(String.to_lower(s) <> " " <> String.to_upper(s))
  println(String.from(42) <> String.from(true) <> String.from(1.5))
  println("${String.contains(s, "")} ${String.starts_with("", "")}")
  println("[" <> String.trim("\t line \n") <> "]" <> String.join([], ", ") <> String.join(["a"], ", "))
  let names = ["delta", "alpha", "Charlie", "bravo", "Alpha", "éclair"]
  println(String.join(List.sort(names, by_alpha), " "))
  let folded = List.sort(names, fn(a, b) -> by_alpha(String.to_lower(a), String.to_lower(b)) end)
  println(String.join(folded, " "))
end
