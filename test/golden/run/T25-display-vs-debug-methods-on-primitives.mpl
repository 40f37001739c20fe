struct Tag do
  name :: String
end deriving(Debug, Display)

fn main() do
  let t = Tag { name: "hot" }
  println(t.inspect() <> " " <> t.to_string() <> " " <> "hot".inspect())
  println("${[1.5, 2.0]} ${[true]} ${["a", "b"]}")
  println(42.to_string() <> 2.5.to_string() <> true.to_string())
  println("${"hello".length()}")
end
