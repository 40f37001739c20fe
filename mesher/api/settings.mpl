# Project settings and storage endpoints (mesher.md §4.9).
import Api.Http
import Api.Db
from Api.Http import Reply
from Api.Queries.Team import get_settings, update_settings, storage

pub fn show(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  case get_settings(pool, project_id)? do
    Some(s) -> Http.ok_body(Json.encode(s))
    None -> Err(NotFound("project not found"))
  end
end

## A field that is absent stays unchanged; retention_days is 1..90 (older partitions are dropped
## anyway), sample_rate 0.0..1.0.
pub fn update(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let body = Http.body_object(request)?
  let retention = case Http.opt_int(body, "retention_days") do
    Ok(None) -> ""
    Ok(Some(n)) when n >= 1 and n <= 90 -> "${n}"
    _ -> return Err(BadRequest("retention_days must be an integer between 1 and 90"))
  end
  let sample_rate = case Http.opt_number(body, "sample_rate") do
    Ok(None) -> ""
    Ok(Some(x)) when x >= 0.0 and x <= 1.0 -> "${x}"
    _ -> return Err(BadRequest("sample_rate must be a number between 0.0 and 1.0"))
  end
  let pool = Db.pool()?
  Http.affected(update_settings(pool, project_id, retention, sample_rate)?)
end

pub fn usage(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  case storage(pool, project_id)? do
    Some(s) -> Http.ok_body(Json.encode(s))
    None -> Http.ok_body("{\"estimated_bytes\":0,\"event_count\":0}")
  end
end
