# expect: E0028
type Shape do
  Circle(Float)
end deriving(Schema)

fn main() do println("x") end
