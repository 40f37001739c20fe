fn describe(opts :: Map<String, Int>) -> String do
  "${opts}"
end

fn main() do
  let m = %{"x" => 1, "y" => 2}
  let m3 = Map.put(Map.put(m, "x", 10), "z", 3)
  println("${m} ${m3}")
  println(describe(width: 4, height: 5))
  let s = Set.add(Set.add(Set.add(Set.new(), 3), 1), 3)
  let doubled = for x in s do
    x * 2
  end
  println("${Set.size(s)} ${doubled} ${s} ${[[1, 2], [3]]}")
end
