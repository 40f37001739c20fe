# Dashboard aggregate endpoints (mesher.md §4.5).
import Api.Http
import Api.Db
from Api.Http import Reply
from Api.Queries.Dashboard import volume, levels, top_issues, tag_values, timeline, health

## A tag value (null when the event's tag is JSON null) and how many events carry it.
struct TagValue do
  value :: Option<String>
  count :: Int
end deriving(Json)

pub fn event_volume(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let unit = case Http.query(request, "bucket") do
    "" -> "hour"
    "hour" -> "hour"
    "day" -> "day"
    _ -> return Err(BadRequest("invalid bucket"))
  end
  let pool = Db.pool()?
  Http.ok_body(Json.encode(volume(pool, project_id, unit)?))
end

pub fn level_counts(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  Http.ok_body(Json.encode(levels(pool, project_id)?))
end

pub fn top(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  Http.ok_body(Json.encode(top_issues(pool, project_id, Http.limit(request, 10))?))
end

pub fn tag_breakdown(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let key = Http.text_query(request, "key")?
  if key == "" do
    return Err(BadRequest("missing key parameter"))
  end
  let pool = Db.pool()?
  let rows = tag_values(pool, project_id, key)?
  let items = List.map(rows, fn row -> TagValue {
    value: if row.is_null do None else Some(row.value) end,
    count: row.count
  } end)
  Http.ok_body(Json.encode(items))
end

pub fn issue_timeline(request :: Request) -> Reply do
  let issue_id = Http.uuid_param(request, "issue_id")?
  let pool = Db.pool()?
  Http.ok_body(Json.encode(timeline(pool, issue_id, Http.limit(request, 50))?))
end

pub fn project_health(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  case health(pool, project_id)? do
    Some(row) -> Http.ok_body(Json.encode(row))
    None -> Err(NotFound("project not found"))
  end
end
