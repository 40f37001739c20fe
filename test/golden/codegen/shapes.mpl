# Structs, sum types, case, impls, interpolation, struct update, `?`.
type Shape do
  Circle(Float)
  Rect(Float, Float)
  Dot
end

struct Point do
  x :: Int
  y :: Int
end deriving(Eq, Display)

interface Describe do
  fn describe(self) -> String
  fn shout(self) -> String do
    "!" <> self.describe()
  end
end

impl Describe for Point do
  fn describe(self) -> String do "point at ${self.x},${self.y}" end
end

fn area(s :: Shape) -> Float do
  case s do
    Circle(r) -> 3.0 * r * r
    Rect(w, h) -> w * h
    Dot -> 0.0
  end
end

fn parse_pair(a :: String, b :: String) -> (Int, Int)? do
  let x = String.to_int(a)?
  let y = String.to_int(b)?
  Some((x, y))
end

fn main() do
  let p = Point { x: 1, y: 2 }
  let q = %{p | y: 5}
  println("${area(Circle(2.0))} ${area(Rect(1.5, 4.0))} ${p == q} ${q}")
  println(q.shout())
  println("${parse_pair("3", "4")} ${parse_pair("3", "x")}")
end
