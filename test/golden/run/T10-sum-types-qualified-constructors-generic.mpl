type Shape do
  Circle(Float)
  Rect(Float, Float)
  Dot
end

type Tree<T> do
  Leaf
  Node(Tree<T>, T, Tree<T>)
end

fn area(s :: Shape) -> Float do
  case s do
    Circle(r) -> 3.0 * r * r
    Rect(w, h) -> w * h
    Dot -> 0.0
  end
end

fn sum_tree(Node(l, v, r)) = sum_tree(l) + v + sum_tree(r)
fn sum_tree(_) = 0

fn main() do
  println("${area(Circle(2.0))} ${area(Shape.Rect(1.5, 4.0))} ${area(Dot)}")
  println("${sum_tree(Node(Node(Leaf, 1, Leaf), 2, Node(Leaf, 3, Node(Leaf, 4, Leaf))))}")
end
