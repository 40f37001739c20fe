fn main() do
  let m = %{"b" => 2, "a" => 1}
  let m = Map.put(Map.put(m, "c", 3), "b", 20)
  println("${m} ${Map.keys(m)} ${Map.values(m)}")
  println("${Map.size(m)} ${Map.has_key(m, "a")} ${Map.has_key(m, "z")}")
  let m2 = Map.delete(m, "b")
  println("${m2} ${Map.get(m2, "c")} ${Map.get(m2, "zzz")}")
  let names = %{1 => "one"}
  println("[" <> Map.get(names, 2) <> "]")
  let merged = Map.merge(%{"host" => "db", "port" => "5432"}, %{"port" => "6543", "user" => "app"})
  println("${merged} ${List.length(Map.to_list(merged))}")
  println(Map.get(Map.from_list(Map.to_list(merged)), "user"))
  let words = ["a", "b", "a", "c", "a"]
  let counts = List.reduce(words, Map.new(), fn(acc, k) -> Map.put(acc, k, Map.get(acc, k) + 1) end)
  println("${counts}")
end
