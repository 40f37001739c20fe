fn main() do
  let data = %{"name" => "Old", "email" => "old@example.com"}
  let params = %{"name" => "", "email" => "nobody", "age" => "17", "role" => "root", "admin" => "true"}
  let cs = Changeset.cast(data, params, [:name, :email, :age, :role])
    |> Changeset.validate_required([:name, :email])
    |> Changeset.validate_format(:email, "@")
    |> Changeset.validate_number(:age, -1, -1, 18, -1)
    |> Changeset.validate_inclusion(:role, ["admin", "member"])
    |> Changeset.validate_length(:role, 10, -1)
  println("${Changeset.valid(cs)}")
  println("${Changeset.changes(cs)}")
  println("${Changeset.errors(cs)}")
  println(Changeset.get_error(cs, :age) <> "|" <> Changeset.get_change(cs, :role) <> "|" <> Changeset.get_change(cs, :admin) <> "|")
  let kept = Changeset.cast(data, %{"role" => "admin"}, [:name, :role])
    |> Changeset.validate_required([:name, :email])
  println("${Changeset.valid(kept)} ${Changeset.errors(kept)}")
end
