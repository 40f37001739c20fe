interface Shape do
  fn area(self) -> Float
  fn name(self) -> String
  fn describe(self) -> String do
    "shape"
  end
end
impl Shape for Circle do
  type Item = Int
  fn area(self) -> Float = 3.0
  fn name(self) -> String = "circle"
end
actor counter(n :: Int) do
  receive do
    Inc(k) -> counter(n + k)
  end
  terminate do
    println("bye")
  end
end
supervisor App do
  strategy: one_for_one
  max_restarts: 3
  child worker do
    start: fn -> spawn(counter, 0) end
    restart: permanent
  end
end
struct User do
  table "users"
  belongs_to :org, Org
  name :: String
end deriving(Json)
type Id = Int
type Name = String
