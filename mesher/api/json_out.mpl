# Builders for JSON values whose shape is not a fixed struct: objects with optional members
# (pagination cursors) or members named by keywords (`type` in WebSocket messages), and stored
# JSON text turned back into Json for struct fields. Everything is serialised by Json.encode, so
# user data is always escaped.

fn parsed(text :: String) -> Json do
  case Json.parse(text) do
    Ok(j) -> j
    Err(_) -> null()
  end
end

pub fn null() -> Json do
  case Json.parse("null") do
    Ok(j) -> j
    Err(e) -> panic(e)
  end
end

pub fn str(s :: String) -> Json = parsed(Json.encode_string(s))

pub fn int(n :: Int) -> Json = parsed(Json.encode_int(n))

pub fn bool(b :: Bool) -> Json = parsed(Json.encode_bool(b))

## Stored JSON text (e.g. a jsonb column read as text); "" or invalid text gives `fallback`.
pub fn raw_or(text :: String, fallback :: String) -> Json do
  case Json.parse(text) do
    Ok(j) -> j
    Err(_) -> parsed(fallback)
  end
end

## The compact text of an object with these members (keys come out sorted).
pub fn encode_obj(pairs :: List<(String, Json)>) -> String = Json.encode(Map.from_list(pairs))
