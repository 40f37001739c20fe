fn main() do
  println("q:\"x\" back:\\ nl:\nsecond")
  let joined = "ab" <> "cd" ++ "ef"
  println("${joined} ${joined == "abcdef"} ${"a" != "b"}")
  println("price: \${cost}")
  println("${[1] ++ [2, 3]}")
  let poem = """line one
  "quoted" line two"""
  println(poem)
end
