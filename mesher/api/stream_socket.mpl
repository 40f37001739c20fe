# The WebSocket side of mesher.md §5: one server on MESHER_WS_PORT whose path picks the kind of
# connection — `/stream/projects/{id}` dashboards (project must exist; `?token=` with an admin
# token) and `/ingest` SDK connections (API key from the handshake headers). Anything else, and
# every failed check, is closed with 1008.
import Api.Db
import Api.Ids
import Api.Auth
import Api.JsonOut
import Api.QueryString
import Services.StreamManager
from Services.StreamManager import ClientKind
from Ingestion.Routes import key_from_headers, ingest_frame, authenticate
from Types.Config import env_text

# Binds the WebSocket listener; Err is the reason the bind failed.
pub fn start_streams(host :: String, port :: Int) -> Result<Listener, String> do
  let admin_token = env_text("MESHER_ADMIN_TOKEN")
  Ws.start(fn(conn, target, headers) -> on_connect(conn, target, headers, admin_token) end, on_message, on_close, host, port)
end

fn reject() -> Int do
  println("[WS] Connection closed: 1008")
  0
end

## (path, query) of a request target.
fn split_target(target :: String) -> (String, String) do
  case String.split(target, "?") do
    path :: rest -> (path, String.join(rest, "?"))
    [] -> ("", "")
  end
end

fn on_connect(conn :: Int, target :: String, headers :: Map<String, String>, admin_token :: String) -> Int do
  let (path, query) = split_target(target)
  let segments = String.split(path, "/") |> List.filter(fn s -> s != "" end)
  case segments do
    "ingest" :: [] -> accept_ingest(conn, headers)
    "stream" :: "projects" :: project_id :: _ -> accept_dashboard(conn, project_id, query, admin_token)
    _ -> reject()
  end
end

fn accept_ingest(conn :: Int, headers :: Map<String, String>) -> Int do
  let valid_key = case (key_from_headers(headers), Db.pool()) do
    (Some(key), Ok(pool)) -> case authenticate(pool, key) do
      Some(_) -> Some(key)
      None -> None
    end
    _ -> None
  end
  case valid_key do
    Some(key) -> do
      StreamManager.add_ingest(conn, key)
      conn
    end
    None -> reject()
  end
end

fn accept_dashboard(conn :: Int, project_id :: String, query :: String, admin_token :: String) -> Int do
  if not Ids.is_uuid(project_id) do
    return reject()
  end
  let id = String.to_lower(project_id)
  let token = case QueryString.param(query, "token") do
    Some(t) -> t
    None -> ""
  end
  let allowed = if admin_token == "" do Ok(true) else Auth.token_valid(admin_token, token) end
  let known = case (allowed, Db.pool()) do
    (Ok(true), Ok(pool)) -> Db.exists(pool, "projects", id) == Ok(true)
    _ -> false
  end
  if known do
    let _ = Ws.join(conn, "project:" <> id)
    StreamManager.add_dashboard(conn, id)
    conn
  else
    reject()
  end
end

fn on_message(conn :: Int, text :: String) -> () do
  case StreamManager.kind_of(conn) do
    Some(Dashboard(_)) -> subscribe(conn, text)
    Some(Ingest(key)) -> do
      let reply = case Process.lookup("mesher_registry") do
        Some(reg) -> ingest_frame(reg, key, text)
        None -> "{\"error\":\"storage unavailable\"}"
      end
      let _ = Ws.send(conn, reply)
      ()
    end
    None -> ()
  end
end

fn on_close(conn :: Int, code :: Int, reason :: String) -> () do
  StreamManager.remove(conn)
  println("[WS] Connection closed: ${code}")
end

fn error_frame(message :: String) -> String do
  JsonOut.encode_obj([("type", JsonOut.str("error")), ("message", JsonOut.str(message))])
end

## A filter value: absent, null or "" is no filter; another non-string is a parse failure.
fn filter_value(filters :: Json, name :: String) -> Option<String> do
  case Json.field(filters, name) do
    None -> Some("")
    Some(v) when Json.kind(v) == "null" -> Some("")
    Some(v) -> Json.as_string(v)
  end
end

## `{"filters": {"level": …, "environment": …}}`; other members are ignored (§5.2).
fn subscribe(conn :: Int, text :: String) -> () do
  let reply = case Json.parse(text) do
    Err(_) -> error_frame("invalid subscribe message")
    Ok(message) when Json.kind(message) != "object" -> error_frame("filter parse failed")
    Ok(message) -> do
      let parsed = case Json.field(message, "filters") do
        None -> Some(("", ""))
        Some(f) when Json.kind(f) == "null" -> Some(("", ""))
        Some(f) when Json.kind(f) == "object" -> case (filter_value(f, "level"), filter_value(f, "environment")) do
          (Some(level), Some(environment)) -> Some((level, environment))
          _ -> None
        end
        Some(_) -> None
      end
      case parsed do
        Some((level, environment)) -> do
          let _ = StreamManager.set_filters(conn, level, environment)
          JsonOut.encode_obj([("type", JsonOut.str("filters_updated"))])
        end
        None -> error_frame("filter parse failed")
      end
    end
  end
  let _ = Ws.send(conn, reply)
  ()
end
