# The program refers to Geometry's types through the module name: messages say `Geometry.Point`.
import Geometry

struct Point do
  lat :: Float
end

fn area(s :: Geometry.Size) -> Int do
  s.w * s.h
end

fn main() do
  let p = Geometry.origin()
  let n :: Int = p
  let here :: Point = Geometry.origin()
  println("${area(Geometry.origin())} ${n} ${here.lat}")
end
