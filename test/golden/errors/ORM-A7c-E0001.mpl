# expect: E0001
fn f() do
  Query.from("users") |> Query.where("name", "Ann")
end

fn main() do println("x") end
