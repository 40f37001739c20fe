# main.mpl
from Geometry.Shapes import Shape, area, scale
import Util.TextFmt

fn main() do
  let s = Square(3)
  println(TextFmt.banner("area ${area(s)}"))
  println("${area(scale(s, 2))}")
end
