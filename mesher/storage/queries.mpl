# The statements of the ingestion path (mesher.md §4.2, §6.2, §6.4): key lookup, the atomic issue
# upsert, idempotent batch inserts of events and the unresolved-issue count.
import Storage.Db
from Types.Event import EventRow, IssueUpsert

# The project behind an active API key.
pub struct KeyProject do
  project_id :: String
  sample_rate :: Float
end

# No cache: a revoked key is refused by the very next request (§4.7).
pub fn project_for_key(pool :: PoolHandle, key :: String) -> Result<Option<KeyProject>, String> do
  let rows = Pool.query(pool, "SELECT k.project_id::text AS project_id, p.sample_rate::text AS sample_rate FROM api_keys k JOIN projects p ON p.id = k.project_id WHERE k.key_value = $1 AND k.revoked_at IS NULL", [key])?
  case rows do
    row :: _ -> do
      # a sample rate that cannot be read keeps the event (§6.3)
      let rate = case String.to_float(Map.get(row, "sample_rate")) do
        Some(r) -> r
        None -> 1.0
      end
      Ok(Some(KeyProject { project_id: Map.get(row, "project_id"), sample_rate: rate }))
    end
    [] -> Ok(None)
  end
end

# One atomic statement (§6.2): insert the issue, or count the event on it; a discarded issue is not
# touched and yields None. `prev` is read in the same statement's snapshot, so a resolved issue
# reports its regression exactly when this statement reopened it.
pub fn upsert_issue(pool :: PoolHandle, project_id :: String, fingerprint :: String, title :: String, level :: String) -> Result<Option<IssueUpsert>, String> do
  let sql = "WITH prev AS (SELECT status FROM issues WHERE project_id = $1::uuid AND fingerprint = $2) INSERT INTO issues (project_id, fingerprint, title, level, status, event_count) VALUES ($1::uuid, $2, $3, $4, 'unresolved', 1) ON CONFLICT (project_id, fingerprint) DO UPDATE SET event_count = issues.event_count + 1, last_seen = now(), status = CASE WHEN issues.status = 'resolved' THEN 'unresolved' ELSE issues.status END WHERE issues.status <> 'discarded' RETURNING id::text AS id, (xmax = 0)::text AS inserted, COALESCE((SELECT status FROM prev), '') AS prev_status"
  let rows = Pool.query(pool, sql, [project_id, fingerprint, title, level])?
  case rows do
    row :: _ -> Ok(Some(IssueUpsert {
      issue_id: Map.get(row, "id"),
      is_new: Map.get(row, "inserted") == "true",
      is_regression: Map.get(row, "prev_status") == "resolved"
    }))
    [] -> Ok(None)
  end
end

let insert_events_sql = "INSERT INTO events (id, project_id, issue_id, level, message, fingerprint, exception, stacktrace, breadcrumbs, tags, extra, user_context, sdk_name, sdk_version, received_at) SELECT (e->>'id')::uuid, (e->>'project_id')::uuid, (e->>'issue_id')::uuid, e->>'level', e->>'message', e->>'fingerprint', NULLIF(e->>'exception', '')::jsonb, NULLIF(e->>'stacktrace', '')::jsonb, NULLIF(e->>'breadcrumbs', '')::jsonb, COALESCE(NULLIF(e->>'tags', '')::jsonb, '{}'::jsonb), COALESCE(NULLIF(e->>'extra', '')::jsonb, '{}'::jsonb), NULLIF(e->>'user_context', '')::jsonb, NULLIF(e->>'sdk_name', ''), NULLIF(e->>'sdk_version', ''), (e->>'received_at')::timestamptz FROM jsonb_array_elements($1::jsonb) AS e ON CONFLICT (id, received_at) DO NOTHING"

# Inserts a batch as one multi-row statement (one implicit transaction). The rows travel as one
# JSON array parameter, so a batch of any size is a single round trip; rows whose
# (id, received_at) already exist are skipped, which makes retries and replays idempotent.
pub fn insert_events(pool :: PoolHandle, rows :: List<EventRow>) -> Result<Int, String> do
  Pool.execute(pool, insert_events_sql, [Json.encode(rows)])
end

pub fn count_unresolved(pool :: PoolHandle, project_id :: String) -> Result<Int, String> do
  Db.query_int(pool, "SELECT count(*)::int AS n FROM issues WHERE project_id = $1::uuid AND status = 'unresolved'", [project_id], "n")
end
