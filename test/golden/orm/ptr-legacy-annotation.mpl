# orm.md §0: `Ptr` in an annotation is a fresh type variable (the original's untyped handle).
fn base(t :: String) -> Ptr do
  Query.from(t) |> Query.where(:a, "1")
end

fn widen(q :: Ptr) -> Ptr do
  Query.where_op(q, :b, :gt, "2")
end

fn main() do
  let q = widen(base("x"))
  println(Query.to_sql(q))
  println("${Query.params(q)}")
end
