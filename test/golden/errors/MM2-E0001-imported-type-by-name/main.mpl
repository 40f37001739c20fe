# The program imports `Point` by name (and not `Size`): messages say `Point`, and `Geometry.Size`
# for the type it did not import by name.
from Geometry import Point, origin, unit

fn mirror(p :: Point) -> Point do
  Point { x: p.y, y: p.x }
end

fn main() do
  let n :: Int = origin()
  let s :: List<Point> = [mirror(origin()), 3]
  let k :: Bool = unit()
  println("${n} ${s} ${k}")
end
