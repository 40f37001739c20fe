struct Point do
  x :: Int
  y :: Float
end deriving(Json)

struct Shape do
  name :: String
  points :: List<Point>
  label :: Option<String>
  closed :: Bool
end deriving(Json)

fn main() do
  let p = Point { x: 3, y: 2.0 }
  println(Json.encode(p))
  let q = Point { x: -1, y: 0.25 }
  println(Json.encode(Shape { name: "tri", points: [p, q], label: None, closed: true }))
  println(Json.encode(Shape { name: "big", points: [], label: Some("ok"), closed: false }))
end
