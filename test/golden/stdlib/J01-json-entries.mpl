# Json.entries (decision 80): an object's members in ascending key order; [] for other kinds.
fn show(text :: String) -> () do
  case Json.parse(text) do
    Ok(j) -> do
      let parts = Json.entries(j) |> List.map(fn((k, v)) -> "${k}=${Json.encode(v)}:${Json.kind(v)}" end)
      println("${String.join(parts, ", ")} (${List.length(parts)})")
    end
    Err(e) -> println("error: ${e}")
  end
end

fn main() do
  show("{\"b\": 2, \"a\": \"x\", \"c\": null, \"d\": {\"e\": [1, 2.5]}}")
  show("{}")
  show("[1, 2]")
  show("\"text\"")
  show("null")
end
