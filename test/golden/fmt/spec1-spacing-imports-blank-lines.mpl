import Geometry.Shapes
from Util.TextFmt import pad,   bold
fn area( r::Float )->Float do 3.14*r*r end
fn main() do

let a=area(2.0)


println("area: ${ a }")
end
