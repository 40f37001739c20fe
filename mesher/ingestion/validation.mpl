# Typed decoding and validation of event payloads (mesher.md §4.2.3), in the order of the table so
# a missing message is reported before an invalid level.
from Types.Event import EventPayload

let levels = ["fatal", "error", "warning", "info", "debug"]

# A member of an object; a JSON null counts as absent.
fn member(j :: Json, name :: String) -> Option<Json> do
  case Json.field(j, name) do
    Some(v) -> if Json.kind(v) == "null" do None else Some(v) end
    None -> None
  end
end

fn invalid(name :: String) -> String do
  "invalid field: ${name}"
end

# An optional string member: "" when absent, an error when it has another type.
fn opt_string(j :: Json, name :: String) -> Result<String, String> do
  case member(j, name) do
    None -> Ok("")
    Some(v) -> case Json.as_string(v) do
      Some(s) -> Ok(s)
      None -> Err(invalid(name))
    end
  end
end


fn string_or_absent(obj :: Json, name :: String) -> Bool do
  case member(obj, name) do
    None -> true
    Some(v) -> Json.kind(v) == "string"
  end
end

fn int_or_absent(obj :: Json, name :: String) -> Bool do
  case member(obj, name) do
    None -> true
    Some(v) -> Json.kind(v) == "int"
  end
end

fn bool_or_absent(obj :: Json, name :: String) -> Bool do
  case member(obj, name) do
    None -> true
    Some(v) -> Json.kind(v) == "bool"
  end
end

# exception: an object whose known members are strings.
fn check_exception(j :: Json) -> Result<(String, Option<String>, String), String> do
  case member(j, "exception") do
    None -> Ok(("", None, ""))
    Some(ex) -> do
      let ok = Json.kind(ex) == "object"
        and string_or_absent(ex, "type_name")
        and string_or_absent(ex, "value")
        and string_or_absent(ex, "module_name")
      if ok do
        let type_name = case member(ex, "type_name") do
          Some(t) -> Json.as_string(t)
          None -> None
        end
        let value = case member(ex, "value") do
          Some(v) -> case Json.as_string(v) do
            Some(s) -> s
            None -> ""
          end
          None -> ""
        end
        Ok((Json.encode(ex), type_name, value))
      else
        Err(invalid("exception"))
      end
    end
  end
end

fn frame_ok(f :: Json) -> Bool do
  Json.kind(f) == "object"
    and string_or_absent(f, "filename")
    and string_or_absent(f, "function_name")
    and int_or_absent(f, "lineno")
    and int_or_absent(f, "colno")
    and string_or_absent(f, "context_line")
    and bool_or_absent(f, "in_app")
end

fn frame_key(f :: Json) -> (String, String) do
  let text = fn name ->
    case member(f, name) do
      Some(v) -> case Json.as_string(v) do
        Some(s) -> s
        None -> ""
      end
      None -> ""
    end
  end
  (text("filename"), text("function_name"))
end

# stacktrace: an array of frame objects; the (filename, function_name) pairs feed the fingerprint.
fn check_stacktrace(j :: Json) -> Result<(String, List<(String, String)>), String> do
  case member(j, "stacktrace") do
    None -> Ok(("", []))
    Some(st) -> do
      let frames = Json.items(st)
      if Json.kind(st) == "array" and List.all(frames, frame_ok) do
        Ok((Json.encode(st), List.map(frames, frame_key)))
      else
        Err(invalid("stacktrace"))
      end
    end
  end
end

fn check_breadcrumbs(j :: Json) -> Result<String, String> do
  case member(j, "breadcrumbs") do
    None -> Ok("")
    Some(b) -> do
      let items = Json.items(b)
      let item_ok = fn item ->
        Json.kind(item) == "object"
          and string_or_absent(item, "timestamp")
          and string_or_absent(item, "category")
          and string_or_absent(item, "message")
          and string_or_absent(item, "level")
      end
      if Json.kind(b) == "array" and List.all(items, item_ok) do
        Ok(Json.encode(b))
      else
        Err(invalid("breadcrumbs"))
      end
    end
  end
end

# tags: a flat object of strings; `environment` feeds the stream filters.
fn check_tags(j :: Json) -> Result<(String, String), String> do
  case member(j, "tags") do
    None -> Ok(("{}", ""))
    Some(t) -> do
      let flat = Json.kind(t) == "object" and List.all(Json.entries(t), fn((_, v)) -> Json.kind(v) == "string" end)
      if flat do
        let env = case Json.field(t, "environment") do
          Some(v) -> case Json.as_string(v) do
            Some(s) -> s
            None -> ""
          end
          None -> ""
        end
        Ok((Json.encode(t), env))
      else
        Err(invalid("tags"))
      end
    end
  end
end

fn object_member(j :: Json, name :: String, absent :: String) -> Result<String, String> do
  case member(j, name) do
    None -> Ok(absent)
    Some(v) -> if Json.kind(v) == "object" do Ok(Json.encode(v)) else Err(invalid(name)) end
  end
end

fn check_message(j :: Json) -> Result<String, String> do
  case member(j, "message") do
    None -> Err("missing required field: message")
    Some(v) -> case Json.as_string(v) do
      Some("") -> Err("missing required field: message")
      Some(s) -> Ok(s)
      None -> Err(invalid("message"))
    end
  end
end

fn check_level(j :: Json) -> Result<String, String> do
  case member(j, "level") do
    None -> Ok("error")
    Some(v) -> case Json.as_string(v) do
      Some(s) ->
        if List.contains(levels, s) do
          Ok(s)
        else
          Err("invalid level: must be fatal, error, warning, info, or debug")
        end
      None -> Err(invalid("level"))
    end
  end
end

# Validates one parsed event (§4.2.3); the error is the exact client-facing text.
pub fn validate(j :: Json) -> Result<EventPayload, String> do
  if Json.kind(j) != "object" do
    return Err("event must be a JSON object")
  end
  let message = check_message(j)?
  let level = check_level(j)?
  let fingerprint = opt_string(j, "fingerprint")?
  let (exception_json, exception_type, exception_value) = check_exception(j)?
  let (stacktrace_json, frames) = check_stacktrace(j)?
  let breadcrumbs_json = check_breadcrumbs(j)?
  let (tags_json, environment) = check_tags(j)?
  let extra_json = object_member(j, "extra", "{}")?
  let user_context_json = object_member(j, "user_context", "")?
  let sdk_name = opt_string(j, "sdk_name")?
  let sdk_version = opt_string(j, "sdk_version")?
  # PostgreSQL text and jsonb cannot hold NUL: refuse it here rather than accept an event that
  # could never be stored
  let stored = [("message", message), ("level", level), ("fingerprint", fingerprint),
    ("exception", exception_json), ("stacktrace", stacktrace_json), ("breadcrumbs", breadcrumbs_json),
    ("tags", tags_json), ("extra", extra_json), ("user_context", user_context_json),
    ("sdk_name", sdk_name), ("sdk_version", sdk_version)]
  case List.find(stored, fn((_, text)) -> has_nul(text) end) do
    Some((name, _)) -> return Err(invalid(name))
    None -> ()
  end
  Ok(EventPayload {
    message: message,
    level: level,
    fingerprint: fingerprint,
    exception_json: exception_json,
    exception_type: exception_type,
    exception_value: exception_value,
    stacktrace_json: stacktrace_json,
    frames: frames,
    breadcrumbs_json: breadcrumbs_json,
    tags_json: tags_json,
    environment: environment,
    extra_json: extra_json,
    user_context_json: user_context_json,
    sdk_name: sdk_name,
    sdk_version: sdk_version,
    data: Json.encode(j)
  })
end

fn has_nul(text :: String) -> Bool do
  String.contains(text, "\0") or String.contains(text, "\\u0000")
end

# Parses and validates a request body; an empty body counts as {} (§4.1). The runtime decodes
# bodies with U+FFFD replacement, so a body holding U+FFFD is treated as invalid UTF-8, as the
# management API does (docs/decisions.md 30).
pub fn parse_event(body :: String) -> Result<EventPayload, String> do
  let text = if String.trim(body) == "" do "{}" else body end
  if String.contains(text, "�") do
    return Err("invalid json")
  end
  case Json.parse(text) do
    Ok(j) -> validate(j)
    Err(_) -> Err("invalid json")
  end
end
