struct Point do
  x :: Int
  y :: Int
end deriving(Eq, Ord, Display, Debug)

struct Label do
  text :: String
  at :: Point
end

struct Pair<A, B> do
  first :: A
  second :: B
end deriving(Display, Eq)

fn main() do
  let p = Point { x: 1, y: 2 }
  let q = %{p | y: 5}
  println("${p} ${q} ${p == q} ${p < q} ${p.to_string()}")
  let l = Label { text: "home", at: q }
  let l2 = %{l | text: "work"}
  println("${l} ${l2.text} ${l2.at.y + l2.at.x}")
  let pr = Pair { first: 7, second: "seven" }
  let sw = Pair { first: pr.second, second: pr.first }
  println("${pr} ${sw} ${pr == Pair { first: 7, second: "seven" }}")
end
