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

# The projects behind a batch of keys, by key: one statement however many requests wait on it.
# Revoked and unknown keys are absent.
pub fn projects_for_keys(pool :: PoolHandle, keys :: List<String>) -> Result<Map<String, KeyProject>, String> do
  let rows = Pool.query(pool, "SELECT k.key_value, k.project_id::text AS project_id, p.sample_rate::text AS sample_rate FROM api_keys k JOIN projects p ON p.id = k.project_id WHERE k.key_value IN (SELECT jsonb_array_elements_text($1::jsonb)) AND k.revoked_at IS NULL", [Json.encode(keys)])?
  Ok(List.reduce(rows, %{}, fn(acc, row) -> do
    let key = Map.get(row, "key_value")
    if Map.has_key(acc, key) do
      acc
    else
      let rate = case String.to_float(Map.get(row, "sample_rate")) do
        Some(r) -> r
        None -> 1.0
      end
      Map.put(acc, key, KeyProject { project_id: Map.get(row, "project_id"), sample_rate: rate })
    end
  end end))
end

# One issue to upsert for a batch of events sharing (project_id, fingerprint): `n` events, title and
# level from the first of them.
pub struct UpsertInput do
  project_id :: String
  fingerprint :: String
  title :: String
  level :: String
  n :: Int
end deriving(Json)

let upsert_issues_sql = "WITH input AS (SELECT (e->>'project_id')::uuid AS project_id, e->>'fingerprint' AS fingerprint, e->>'title' AS title, e->>'level' AS level, (e->>'n')::int AS n, o AS ord FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, o)), prev AS (SELECT i.project_id, i.fingerprint, i.status FROM issues i JOIN input ON i.project_id = input.project_id AND i.fingerprint = input.fingerprint), up AS (INSERT INTO issues (project_id, fingerprint, title, level, status, event_count) SELECT project_id, fingerprint, title, level, 'unresolved', n FROM input ORDER BY ord ON CONFLICT (project_id, fingerprint) DO UPDATE SET event_count = issues.event_count + excluded.event_count, last_seen = now(), status = CASE WHEN issues.status = 'resolved' THEN 'unresolved' ELSE issues.status END WHERE issues.status <> 'discarded' RETURNING project_id, fingerprint, id, (xmax = 0) AS inserted) SELECT up.project_id::text || ' ' || up.fingerprint AS k, up.id::text AS id, up.inserted::text AS inserted, COALESCE(prev.status, '') AS prev_status FROM up LEFT JOIN prev ON prev.project_id = up.project_id AND prev.fingerprint = up.fingerprint"

# The key of an issue in a batch: project ids are UUIDs, so the first space ends them.
pub fn issue_key(project_id :: String, fingerprint :: String) -> String do
  project_id <> " " <> fingerprint
end

# One atomic statement for a whole batch (§6.2): each issue is inserted, or counted `n` more
# events; discarded issues are not touched and are absent from the result. `prev` is read in the
# statement's own snapshot, so a resolved issue reports its regression exactly when this
# statement reopened it. The inputs must have distinct keys, sorted, so that two concurrent
# batches lock the same issues in the same order.
pub fn upsert_issues(pool :: PoolHandle, inputs :: List<UpsertInput>) -> Result<Map<String, IssueUpsert>, String> do
  let rows = Pool.query(pool, upsert_issues_sql, [Json.encode(inputs)])?
  Ok(List.reduce(rows, %{}, fn(acc, row) -> Map.put(acc, Map.get(row, "k"), IssueUpsert {
    issue_id: Map.get(row, "id"),
    is_new: Map.get(row, "inserted") == "true",
    is_regression: Map.get(row, "prev_status") == "resolved"
  }) end))
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
