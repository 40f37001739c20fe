pub struct Pair<A,B> do
first::A
second::B
end deriving(Eq,Display)
pub type Shape do
Circle(Float)
Rect(w :: Float,h :: Float)
end
