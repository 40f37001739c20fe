# SQL for issues (mesher.md §4.3, §4.4): filtered keyset listing, status actions, assignment,
# deletion with the issue's events, and the events of one issue. Parameters only.
import Api.Db
from Api.Http import ApiError

pub struct IssueRow do
  id :: String
  project_id :: String
  fingerprint :: String
  title :: String
  level :: String
  status :: String
  event_count :: Int
  first_seen :: String
  last_seen :: String
  assigned_to :: Option<String>
end deriving(Json, Row)

## Filters of GET /projects/{id}/issues; "" means "no filter" / "no cursor".
pub struct IssueFilter do
  status :: String
  level :: String
  assigned_to :: String
  cursor :: String
  cursor_id :: String
  limit :: Int
end

pub struct EventBrief do
  id :: String
  level :: String
  message :: String
  received_at :: String
end deriving(Json, Row)

pub type IssueAction do
  Resolve
  Archive
  Unresolve
  Discard
end

## The status an action sets, which is also the broadcast action name (§4.3).
pub fn target_status(action :: IssueAction) -> String do
  case action do
    Resolve -> "resolved"
    Archive -> "archived"
    Unresolve -> "unresolved"
    Discard -> "discarded"
  end
end

let issue_columns = "id::text AS id, project_id::text AS project_id, fingerprint, title, level, status, event_count, first_seen::text AS first_seen, last_seen::text AS last_seen, assigned_to::text AS assigned_to"

## Up to `limit` + 1 issues (the extra row tells whether there is a next page).
pub fn list_issues(pool :: PoolHandle, project_id :: String, f :: IssueFilter) -> Result<List<IssueRow>, ApiError> do
  let sql = "SELECT " <> issue_columns <> " FROM issues
    WHERE project_id = $1::uuid
      AND ($2 = '' OR status = $2)
      AND ($3 = '' OR level = $3)
      AND ($4 = '' OR assigned_to = NULLIF($4, '')::uuid)
      AND ($5 = '' OR (last_seen, id) < (NULLIF($5, '')::timestamptz, NULLIF($6, '')::uuid))
    ORDER BY last_seen DESC, id DESC
    LIMIT $7::int"
  Db.rows(pool, sql, [project_id, f.status, f.level, f.assigned_to, f.cursor, f.cursor_id, "${f.limit + 1}"], IssueRow.from_row)
end

## Applies a status action; returns the project id of each changed issue (0 or 1 of them).
## Resolving an already resolved issue changes nothing (§4.3).
pub fn set_status(pool :: PoolHandle, issue_id :: String, action :: IssueAction) -> Result<List<String>, ApiError> do
  let sql = case action do
    Resolve -> "UPDATE issues SET status = $2 WHERE id = $1::uuid AND status <> $2 RETURNING project_id::text AS project_id"
    _ -> "UPDATE issues SET status = $2 WHERE id = $1::uuid RETURNING project_id::text AS project_id"
  end
  let rows = Db.query(pool, sql, [issue_id, target_status(action)])?
  Ok(List.map(rows, fn row -> row["project_id"] end))
end

## Deletes the issue and all its stored events in one statement; returns its project id.
pub fn delete_issue(pool :: PoolHandle, issue_id :: String) -> Result<List<String>, ApiError> do
  let sql = "WITH gone AS (DELETE FROM issues WHERE id = $1::uuid RETURNING id, project_id),
    gone_events AS (DELETE FROM events WHERE issue_id = $1::uuid AND EXISTS (SELECT 1 FROM gone))
    SELECT project_id::text AS project_id FROM gone"
  let rows = Db.query(pool, sql, [issue_id])?
  Ok(List.map(rows, fn row -> row["project_id"] end))
end

## Sets (or with "" clears) the assignee; returns the number of issues changed.
pub fn assign(pool :: PoolHandle, issue_id :: String, user_id :: String) -> Result<Int, ApiError> do
  Db.execute(pool, "UPDATE issues SET assigned_to = NULLIF($2, '')::uuid WHERE id = $1::uuid", [issue_id, user_id])
end

## Events of one issue, newest first, strictly after the (received_at, id) cursor when given.
pub fn issue_events(pool :: PoolHandle, issue_id :: String, cursor :: String, cursor_id :: String, limit :: Int) -> Result<List<EventBrief>, ApiError> do
  let sql = "SELECT id::text AS id, level, message, received_at::text AS received_at FROM events
    WHERE issue_id = $1::uuid
      AND ($2 = '' OR (received_at, id) < (NULLIF($2, '')::timestamptz, NULLIF($3, '')::uuid))
    ORDER BY received_at DESC, id DESC
    LIMIT $4::int"
  Db.rows(pool, sql, [issue_id, cursor, cursor_id, "${limit}"], EventBrief.from_row)
end
