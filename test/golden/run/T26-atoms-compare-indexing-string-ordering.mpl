fn main() do
  let a = :ready
  let word = case compare(3, 9) do
    Less -> "less"
    Equal -> "equal"
    Greater -> "greater"
  end
  println("${a} ${a == :ready} ${word} ${compare("b", "a")} ${compare(2.5, 2.5)}")
  let xs = [10, 20, 30]
  let m = %{"k" => "v"}
  println("${xs[0] + xs[2]} ${m["k"]}")
  println("${"apple" < "banana"} ${"Zed" < "abc"} ${"ab" < "a"}")
end
