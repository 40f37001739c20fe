struct Ev do
  name :: String
  tags :: Json
  extra :: Option<Json>
  list :: List<Json>
end deriving(Json)

fn main() do
  let j = case Json.parse("{\"b\":[1,2.5,\"x\"],\"a\":null}") do
    Ok(j) -> j
    Err(e) -> panic(e)
  end
  let ev = Ev { name: "n", tags: j, extra: Some(j), list: [j, j] }
  let text = Json.encode(ev)
  println(text)
  case Ev.from_json(text) do
    Ok(back) -> println(Json.encode(back.tags))
    Err(e) -> println("error: " <> e)
  end
end
