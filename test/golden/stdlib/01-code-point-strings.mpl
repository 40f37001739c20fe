fn main() do
  let word = "naïve café"
  println("${String.length(word)}")
  println(String.slice(word, 2, 5))
  println(String.slice(word, 6, 100))
  println(String.slice(word, 4, 2) <> "|")
  let face = "😀ok"
  println("${String.length(face)}")
  println(String.to_upper(word))
  println(String.slice(face, 0, 1) <> String.slice(face, 1, 2))
end
