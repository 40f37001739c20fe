fn main() do
  println(Json.encode_string("say \"hi\"\n\ttab \\ /"))
  println(Json.encode_int(-12) <> " " <> Json.encode_bool(false) <> " " <> JSON.encode_string(""))
  println(Json.encode_list(["a", "b/c", "ü"]))
  println(Json.encode_map(%{"zeta" => "1", "alpha" => "2", "Mid" => "3"}))
  let r = Json.parse("{ \"b\": [1, 2.0, true, null], \"a\": {\"z\": \"x\", \"k\": 1e2} }")
  case r do
    Ok(j) -> println(Json.encode(j))
    Err(_) -> println("parse failed")
  end
  let bad = Json.parse("{oops}")
  case bad do
    Ok(_) -> println("unexpected")
    Err(_) -> println("rejected")
  end
  let body = "{\"user\":{\"id\":42,\"tags\":[\"a\",\"b\"]},\"name\":\"Lee\",\"gone\":null}"
  println(Json.get(body, "name") <> " " <> Json.get_nested(body, "user", "id") <> " " <> Json.get_nested(body, "user", "tags"))
  println(Json.get(body, "user"))
  println("[" <> Json.get(body, "gone") <> "][" <> Json.get("not json", "x") <> "]")
end
