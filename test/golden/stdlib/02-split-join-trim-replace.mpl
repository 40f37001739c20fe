fn main() do
  let raw = "  alpha, beta,,gamma  "
  let parts = String.split(String.trim(raw), ",")
  println("${List.length(parts)}")
  println(String.join(parts, "|"))
  let trimmed = List.map(parts, fn(p) -> String.trim(p) end)
  println("${trimmed}")
  println(String.replace("a-b-c-d", "-", "+"))
  println(String.replace("aaa", "aa", "b"))
  println(String.replace("ab", "", "."))
  println("${List.length(String.split("", ","))}")
  println("${List.length(String.split("xy", ""))}")
end
