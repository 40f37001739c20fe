# Builders for JSON values whose shape is not a fixed struct: objects that embed stored JSON
# (tags, extra, conditions) or members named by keywords (`type`). Everything is serialised by
# Json.encode, so user data is always escaped. (deriving(Json) does not accept `Json` fields yet,
# see .notes/mesher-blockers.md; once it does, these objects can become structs.)

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

pub fn float(f :: Float) -> Json = parsed(Json.encode(f))

pub fn bool(b :: Bool) -> Json = parsed(Json.encode_bool(b))

pub fn opt_str(o :: Option<String>) -> Json do
  case o do
    Some(s) -> str(s)
    None -> null()
  end
end

## Stored JSON text (e.g. a jsonb column read as text); "" or invalid text gives `fallback`.
pub fn raw_or(text :: String, fallback :: String) -> Json do
  case Json.parse(text) do
    Ok(j) -> j
    Err(_) -> parsed(fallback)
  end
end

pub fn obj(pairs :: List<(String, Json)>) -> Json = parsed(encode_obj(pairs))

pub fn arr(items :: List<Json>) -> Json = parsed(Json.encode(items))

## The compact text of an object with these members (keys come out sorted).
pub fn encode_obj(pairs :: List<(String, Json)>) -> String = Json.encode(Map.from_list(pairs))
