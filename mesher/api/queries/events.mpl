# SQL for stored events (mesher.md §4.4, §4.6): full-text and tag search over the last 24 hours,
# one event with its JSON columns, and its neighbours within the issue. Parameters only.
import Api.Db
from Api.Http import ApiError

pub struct SearchHit do
  id :: String
  issue_id :: String
  level :: String
  message :: String
  received_at :: String
end deriving(Json, Row)

pub struct TagHit do
  id :: String
  issue_id :: String
  level :: String
  message :: String
  tags :: String
  received_at :: String
end deriving(Row)

## One stored event; the JSON columns hold their text ("" for SQL NULL where nullable).
pub struct EventRow do
  id :: String
  project_id :: String
  issue_id :: String
  level :: String
  message :: String
  fingerprint :: String
  exception :: String
  stacktrace :: String
  breadcrumbs :: String
  tags :: String
  extra :: String
  user_context :: String
  sdk_name :: String
  sdk_version :: String
  received_at :: String
end deriving(Row)

struct IdRow do
  id :: String
end deriving(Row)

pub fn search(pool :: PoolHandle, project_id :: String, q :: String, limit :: Int) -> Result<List<SearchHit>, ApiError> do
  let sql = "SELECT id::text AS id, issue_id::text AS issue_id, level, message, received_at::text AS received_at
    FROM events
    WHERE project_id = $1::uuid
      AND received_at > now() - interval '24 hours'
      AND to_tsvector('english', message) @@ plainto_tsquery('english', $2)
    ORDER BY ts_rank(to_tsvector('english', message), plainto_tsquery('english', $2)) DESC, received_at DESC
    LIMIT $3::int"
  Db.rows(pool, sql, [project_id, q, "${limit}"], SearchHit.from_row)
end

pub fn by_tag(pool :: PoolHandle, project_id :: String, key :: String, value :: String, limit :: Int) -> Result<List<TagHit>, ApiError> do
  let sql = "SELECT id::text AS id, issue_id::text AS issue_id, level, message, tags::text AS tags, received_at::text AS received_at
    FROM events
    WHERE project_id = $1::uuid
      AND received_at > now() - interval '24 hours'
      AND tags @> jsonb_build_object($2::text, $3::text)
    ORDER BY received_at DESC, id DESC
    LIMIT $4::int"
  Db.rows(pool, sql, [project_id, key, value, "${limit}"], TagHit.from_row)
end

pub fn get_event(pool :: PoolHandle, event_id :: String) -> Result<Option<EventRow>, ApiError> do
  let sql = "SELECT id::text AS id, project_id::text AS project_id, issue_id::text AS issue_id, level, message,
      fingerprint, COALESCE(exception::text, '') AS exception,
      COALESCE(stacktrace, '[]'::jsonb)::text AS stacktrace,
      COALESCE(breadcrumbs, '[]'::jsonb)::text AS breadcrumbs,
      tags::text AS tags, extra::text AS extra, COALESCE(user_context::text, '') AS user_context,
      COALESCE(sdk_name, '') AS sdk_name, COALESCE(sdk_version, '') AS sdk_version,
      received_at::text AS received_at
    FROM events WHERE id = $1::uuid
    ORDER BY received_at LIMIT 1"
  Db.one(pool, sql, [event_id], EventRow.from_row)
end

## The next newer (`newer` = true) or next older event of the same issue in (received_at, id) order.
pub fn neighbour(pool :: PoolHandle, e :: EventRow, newer :: Bool) -> Result<Option<String>, ApiError> do
  let sql = if newer do
    "SELECT id::text AS id FROM events WHERE issue_id = $1::uuid
       AND (received_at, id) > ($2::timestamptz, $3::uuid) ORDER BY received_at ASC, id ASC LIMIT 1"
  else
    "SELECT id::text AS id FROM events WHERE issue_id = $1::uuid
       AND (received_at, id) < ($2::timestamptz, $3::uuid) ORDER BY received_at DESC, id DESC LIMIT 1"
  end
  case Db.one(pool, sql, [e.issue_id, e.received_at, e.id], IdRow.from_row)? do
    Some(row) -> Ok(Some(row.id))
    None -> Ok(None)
  end
end
