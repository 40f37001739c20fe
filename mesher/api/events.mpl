# Event detail with navigation inside its issue (mesher.md §4.6).
import Api.Http
import Api.Db
import Api.JsonOut
from Api.Http import Reply
from Api.Queries.Events import EventRow, get_event, neighbour

fn event_json(e :: EventRow) -> Json do
  JsonOut.obj([
    ("id", JsonOut.str(e.id)),
    ("project_id", JsonOut.str(e.project_id)),
    ("issue_id", JsonOut.str(e.issue_id)),
    ("level", JsonOut.str(e.level)),
    ("message", JsonOut.str(e.message)),
    ("fingerprint", JsonOut.str(e.fingerprint)),
    ("exception", JsonOut.raw_or(e.exception, "null")),
    ("stacktrace", JsonOut.raw_or(e.stacktrace, "[]")),
    ("breadcrumbs", JsonOut.raw_or(e.breadcrumbs, "[]")),
    ("tags", JsonOut.raw_or(e.tags, "{}")),
    ("extra", JsonOut.raw_or(e.extra, "{}")),
    ("user_context", JsonOut.raw_or(e.user_context, "null")),
    ("sdk_name", JsonOut.str(e.sdk_name)),
    ("sdk_version", JsonOut.str(e.sdk_version)),
    ("received_at", JsonOut.str(e.received_at))
  ])
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
  Http.ok_body(JsonOut.encode_obj([
    ("event", event_json(event)),
    ("navigation", JsonOut.obj([
      ("next_id", JsonOut.opt_str(next_id)),
      ("prev_id", JsonOut.opt_str(prev_id))
    ]))
  ]))
end
