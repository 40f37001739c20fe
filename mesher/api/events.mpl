# Event detail with navigation inside its issue (mesher.md §4.6).
import Api.Http
import Api.Db
import Api.JsonOut
from Api.Http import Reply
from Api.Queries.Events import EventRow, get_event, neighbour

## The event as §4.6 shows it: JSON columns embedded as JSON, defaults for absent ones.
struct EventDetail do
  id :: String
  project_id :: String
  issue_id :: String
  level :: String
  message :: String
  fingerprint :: String
  exception :: Json
  stacktrace :: Json
  breadcrumbs :: Json
  tags :: Json
  extra :: Json
  user_context :: Json
  sdk_name :: String
  sdk_version :: String
  received_at :: String
end deriving(Json)

struct Navigation do
  next_id :: Option<String>
  prev_id :: Option<String>
end deriving(Json)

struct EventPage do
  event :: EventDetail
  navigation :: Navigation
end deriving(Json)

fn detail(e :: EventRow) -> EventDetail do
  EventDetail {
    id: e.id,
    project_id: e.project_id,
    issue_id: e.issue_id,
    level: e.level,
    message: e.message,
    fingerprint: e.fingerprint,
    exception: JsonOut.raw_or(e.exception, "null"),
    stacktrace: JsonOut.raw_or(e.stacktrace, "[]"),
    breadcrumbs: JsonOut.raw_or(e.breadcrumbs, "[]"),
    tags: JsonOut.raw_or(e.tags, "{}"),
    extra: JsonOut.raw_or(e.extra, "{}"),
    user_context: JsonOut.raw_or(e.user_context, "null"),
    sdk_name: e.sdk_name,
    sdk_version: e.sdk_version,
    received_at: e.received_at
  }
end

pub fn show(request :: Request) -> Reply do
  let event_id = Http.uuid_param(request, "event_id")?
  let pool = Db.pool()?
  let event = case get_event(pool, event_id)? do
    Some(e) -> e
    None -> return Err(NotFound("event not found"))
  end
  let next_id = neighbour(pool, event, true)?
  let prev_id = neighbour(pool, event, false)?
  let navigation = Navigation { next_id: next_id, prev_id: prev_id }
  Http.ok_body(Json.encode(EventPage { event: detail(event), navigation: navigation }))
end
