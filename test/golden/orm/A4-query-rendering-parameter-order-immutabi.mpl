fn visible(q :: Query) -> Query do
  q |> Query.where_null(:deleted_at) |> Query.where_op(:level, :neq, "debug")
end

fn main() do
  let base = Query.from("issues")
  let q = base
    |> Query.select(["id", "title"])
    |> Query.select_raw(["count(e.id)::text AS n"])
    |> Query.join(:left, "events", "events.issue_id = issues.id")
    |> Query.where(:project_id, "p1")
    |> Query.where_in(:status, ["open", "muted"])
    |> visible()
    |> Query.where_raw("issues.title <> '?' OR issues.seen > ?", ["x", "2024-01-01"])
    |> Query.group_by(:id)
    |> Query.having("count(e.id) >=", "2")
    |> Query.order_by(:title, :desc)
    |> Query.order_by(:id, :sideways)
    |> Query.limit(20)
    |> Query.offset(40)
  println(Query.to_sql(q))
  println("${Query.params(q)}")
  println(Query.to_sql(base))
  let f = Query.from("t") |> Query.where_op(:a, :like, "x%") |> Query.where_op(:b, :approx, "1") |> Query.fragment("FOR UPDATE OF ?", ["t"]) |> Query.limit(-5)
  println(Query.to_sql(f))
  println("${Query.params(f)}")
end
