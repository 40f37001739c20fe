# SQL for the dashboard aggregates of mesher.md §4.5 (last 24 hours unless stated).
import Api.Db
from Api.Http import ApiError
from Api.Queries.Issues import EventBrief

pub struct VolumeRow do
  bucket :: String
  count :: Int
end deriving(Json, Row)

pub struct LevelRow do
  level :: String
  count :: Int
end deriving(Json, Row)

pub struct TopIssue do
  id :: String
  title :: String
  level :: String
  status :: String
  event_count :: Int
  last_seen :: String
end deriving(Json, Row)

pub struct TagValueRow do
  value :: String
  is_null :: Bool
  count :: Int
end deriving(Row)

pub struct HealthRow do
  unresolved_count :: Int
  events_24h :: Int
  new_today :: Int
end deriving(Json, Row)

## `unit` is "hour" or "day" (checked by the caller).
pub fn volume(pool :: PoolHandle, project_id :: String, unit :: String) -> Result<List<VolumeRow>, ApiError> do
  let sql = "SELECT b::text AS bucket, n AS count FROM (
      SELECT date_trunc($2, received_at) AS b, count(*)::int AS n FROM events
      WHERE project_id = $1::uuid AND received_at > now() - interval '24 hours'
      GROUP BY 1) v
    ORDER BY b ASC"
  Db.rows(pool, sql, [project_id, unit], VolumeRow.from_row)
end

pub fn levels(pool :: PoolHandle, project_id :: String) -> Result<List<LevelRow>, ApiError> do
  let sql = "SELECT level, count(*)::int AS count FROM events
    WHERE project_id = $1::uuid AND received_at > now() - interval '24 hours'
    GROUP BY level ORDER BY count DESC, level ASC"
  Db.rows(pool, sql, [project_id], LevelRow.from_row)
end

pub fn top_issues(pool :: PoolHandle, project_id :: String, limit :: Int) -> Result<List<TopIssue>, ApiError> do
  let sql = "SELECT id::text AS id, title, level, status, event_count, last_seen::text AS last_seen
    FROM issues WHERE project_id = $1::uuid AND status = 'unresolved'
    ORDER BY event_count DESC, last_seen DESC, id DESC LIMIT $2::int"
  Db.rows(pool, sql, [project_id, "${limit}"], TopIssue.from_row)
end

pub fn tag_values(pool :: PoolHandle, project_id :: String, key :: String) -> Result<List<TagValueRow>, ApiError> do
  let sql = "SELECT COALESCE(tags->>$2, '') AS value, (tags->>$2) IS NULL AS is_null, count(*)::int AS count
    FROM events
    WHERE project_id = $1::uuid AND received_at > now() - interval '24 hours' AND tags ? $2
    GROUP BY tags->>$2 ORDER BY count DESC, value ASC LIMIT 20"
  Db.rows(pool, sql, [project_id, key], TagValueRow.from_row)
end

pub fn timeline(pool :: PoolHandle, issue_id :: String, limit :: Int) -> Result<List<EventBrief>, ApiError> do
  let sql = "SELECT id::text AS id, level, message, received_at::text AS received_at FROM events
    WHERE issue_id = $1::uuid ORDER BY received_at DESC, id DESC LIMIT $2::int"
  Db.rows(pool, sql, [issue_id, "${limit}"], EventBrief.from_row)
end

## None for an unknown project.
pub fn health(pool :: PoolHandle, project_id :: String) -> Result<Option<HealthRow>, ApiError> do
  let sql = "SELECT
      (SELECT count(*) FROM issues WHERE project_id = p.id AND status = 'unresolved')::int AS unresolved_count,
      (SELECT count(*) FROM events WHERE project_id = p.id AND received_at > now() - interval '24 hours')::int AS events_24h,
      (SELECT count(*) FROM issues WHERE project_id = p.id AND first_seen > now() - interval '24 hours')::int AS new_today
    FROM projects p WHERE p.id = $1::uuid"
  Db.one(pool, sql, [project_id], HealthRow.from_row)
end
