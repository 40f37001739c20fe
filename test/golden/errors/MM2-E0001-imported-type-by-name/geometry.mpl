pub struct Point do
  x :: Int
  y :: Int
end

pub struct Size do
  w :: Int
  h :: Int
end

pub fn origin() -> Point do
  Point { x: 0, y: 0 }
end

pub fn unit() -> Size do
  Size { w: 1, h: 1 }
end
