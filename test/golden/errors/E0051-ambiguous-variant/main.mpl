import Lights
import Paints

fn main() do
  let c = Red
  println("x")
end
