# geometry/shapes.mpl  (module Geometry.Shapes)
pub type Shape do
  Square(Int)
  Circle(Int)
end

pub fn area(s :: Shape) -> Int do
  case s do
    Square(n) -> n * n
    Circle(r) -> 3 * r * r
  end
end

pub fn scale(s :: Shape, k :: Int) -> Shape do
  case s do
    Square(n) -> Square(n * k)
    Circle(r) -> Circle(r * k)
  end
end
