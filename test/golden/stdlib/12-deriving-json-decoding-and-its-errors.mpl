struct Account do
  id :: Int
  owner :: String
  active :: Bool
end deriving(Json)

fn describe(text :: String) -> String do
  let r = Account.from_json(text)
  case r do
    Ok(a) -> "ok ${a.id} ${a.owner} ${a.active}"
    Err(e) -> "err ${e}"
  end
end

fn main() do
  println(describe("{\"owner\":\"kim\",\"id\":7,\"active\":false,\"extra\":[1]}"))
  println(describe("{\"id\":7,\"owner\":\"kim\"}"))
  println(describe("{\"id\":\"7\",\"owner\":\"kim\",\"active\":true}"))
  println(describe("{\"id\":7.9,\"owner\":\"lu\",\"active\":true}"))
  println(describe("[1, 2]"))
end
