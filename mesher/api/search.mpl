# Search and listing endpoints (mesher.md §4.4): filtered issue list and the events of an issue
# with exact keyset pagination, full-text search and tag search over the last 24 hours.
import Api.Http
import Api.Ids
import Api.Db
import Api.JsonOut
from Api.Http import Reply, ApiError
from Api.Queries.Issues import IssueFilter, IssueRow, EventBrief, list_issues, issue_events
from Api.Queries.Events import search, by_tag

struct TaggedEvent do
  id :: String
  issue_id :: String
  level :: String
  message :: String
  tags :: Json
  received_at :: String
end deriving(Json)

## Checks an optional (cursor, cursor_id) pair: a cursor needs an id, both must parse.
fn cursor_pair(request :: Request, pool :: PoolHandle) -> Result<(String, String), ApiError> do
  let cursor = Http.query(request, "cursor")
  let cursor_id = Http.query(request, "cursor_id")
  if cursor == "" do
    return Ok(("", ""))
  end
  if cursor_id == "" do
    return Err(BadRequest("cursor_id required with cursor"))
  end
  if not Ids.is_uuid(cursor_id) do
    return Err(BadRequest("invalid cursor_id"))
  end
  if not Db.is_timestamp(pool, cursor)? do
    return Err(BadRequest("invalid cursor"))
  end
  Ok((cursor, cursor_id))
end

## `{"data":[…],"has_more":…}` plus the cursor of the last row when there is more.
fn page(data :: Json, has_more :: Bool, cursor :: String, cursor_id :: String) -> Reply do
  let base = [("data", data), ("has_more", JsonOut.bool(has_more))]
  let members = if has_more do
    base ++ [("next_cursor", JsonOut.str(cursor)), ("next_cursor_id", JsonOut.str(cursor_id))]
  else
    base
  end
  Http.ok_body(JsonOut.encode_obj(members))
end

pub fn list_project_issues(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  let assigned_to = Http.query(request, "assigned_to")
  if assigned_to != "" and not Ids.is_uuid(assigned_to) do
    return Err(BadRequest("invalid assigned_to"))
  end
  let (cursor, cursor_id) = cursor_pair(request, pool)?
  let limit = Http.limit(request, 25)
  let filter = IssueFilter {
    status: Http.text_query(request, "status")?,
    level: Http.text_query(request, "level")?,
    assigned_to: assigned_to,
    cursor: cursor,
    cursor_id: cursor_id,
    limit: limit
  }
  let rows = list_issues(pool, project_id, filter)?
  let shown = List.take(rows, limit)
  let has_more = List.length(rows) > limit
  case List.reverse(shown) do
    last :: _ when has_more -> page(JsonOut.raw_or(Json.encode(shown), "[]"), true, last.last_seen, last.id)
    _ -> page(JsonOut.raw_or(Json.encode(shown), "[]"), false, "", "")
  end
end

pub fn list_issue_events(request :: Request) -> Reply do
  let issue_id = Http.uuid_param(request, "issue_id")?
  let pool = Db.pool()?
  let (cursor, cursor_id) = cursor_pair(request, pool)?
  let limit = Http.limit(request, 25)
  let rows = issue_events(pool, issue_id, cursor, cursor_id, limit + 1)?
  let shown = List.take(rows, limit)
  let has_more = List.length(rows) > limit
  case List.reverse(shown) do
    last :: _ when has_more -> page(JsonOut.raw_or(Json.encode(shown), "[]"), true, last.received_at, last.id)
    _ -> page(JsonOut.raw_or(Json.encode(shown), "[]"), false, "", "")
  end
end

pub fn search_events(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let q = Http.text_query(request, "q")?
  if String.trim(q) == "" do
    return Err(BadRequest("missing search query"))
  end
  let pool = Db.pool()?
  let hits = search(pool, project_id, q, Http.limit(request, 25))?
  Http.ok_body(Json.encode(hits))
end

pub fn search_tags(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let key = Http.text_query(request, "key")?
  let value = Http.text_query(request, "value")?
  if key == "" or value == "" do
    return Err(BadRequest("missing key or value parameter"))
  end
  let pool = Db.pool()?
  let hits = by_tag(pool, project_id, key, value, Http.limit(request, 25))?
  let items = List.map(hits, fn hit -> TaggedEvent {
    id: hit.id,
    issue_id: hit.issue_id,
    level: hit.level,
    message: hit.message,
    tags: JsonOut.raw_or(hit.tags, "{}"),
    received_at: hit.received_at
  } end)
  Http.ok_body(Json.encode(items))
end
