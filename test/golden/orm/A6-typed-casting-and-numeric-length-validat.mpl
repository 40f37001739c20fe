fn main() do
  let types = ["title:TEXT", "views:BIGINT", "score:DOUBLE PRECISION", "draft:BOOLEAN"]
  let good = Changeset.cast_with_types(%{}, %{"draft" => "YES", "score" => "2.50", "views" => " +042 ", "title" => "Zoë"}, [:title, :views, :score, :draft], types)
    |> Changeset.validate_length(:title, 1, 3)
  println("${Changeset.valid(good)} ${Changeset.changes(good)}")
  let bad = Changeset.cast_with_types(%{}, %{"views" => "4.5", "draft" => "maybe", "title" => "Hi", "extra" => "1"}, [:views, :draft, :title, :extra], types)
    |> Changeset.validate_length(:title, 3, -1)
    |> Changeset.validate_number(:views, 0, -1, -1, -1)
    |> Changeset.validate_required([:views, :title])
  println("${Changeset.valid(bad)}")
  println("${Changeset.errors(bad)}")
  println("${Changeset.changes(bad)}")
  let n = Changeset.cast(%{}, %{"age" => "x12", "qty" => "15"}, [:age, :qty])
    |> Changeset.validate_number(:age, -1, -1, -1, -1)
    |> Changeset.validate_number(:qty, 10, 15, -1, -1)
  println("${Changeset.errors(n)}")
end
