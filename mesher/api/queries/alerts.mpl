# SQL for alert rules and alerts (mesher.md §4.8). Conditions and actions are stored as jsonb.
import Api.Db
from Api.Http import ApiError

pub struct RuleRow do
  id :: String
  project_id :: String
  name :: String
  condition :: String
  action :: String
  enabled :: Bool
  cooldown_minutes :: Int
  last_fired_at :: Option<String>
  created_at :: String
end deriving(Row)

pub struct AlertRow do
  id :: String
  rule_id :: String
  project_id :: String
  status :: String
  message :: String
  condition_snapshot :: String
  triggered_at :: String
  acknowledged_at :: Option<String>
  resolved_at :: Option<String>
  rule_name :: String
end deriving(Row)

pub fn list_rules(pool :: PoolHandle, project_id :: String) -> Result<List<RuleRow>, ApiError> do
  let sql = "SELECT id::text AS id, project_id::text AS project_id, name, condition_json::text AS condition,
      action_json::text AS action, enabled, cooldown_minutes, last_fired_at::text AS last_fired_at,
      created_at::text AS created_at
    FROM alert_rules WHERE project_id = $1::uuid ORDER BY created_at DESC, id DESC"
  Db.rows(pool, sql, [project_id], RuleRow.from_row)
end

## `condition` and `action` are JSON texts produced by Json.encode.
pub fn create_rule(pool :: PoolHandle, project_id :: String, name :: String, condition :: String, action :: String, cooldown :: Int) -> Result<List<Map<String, String>>, String> do
  let sql = "INSERT INTO alert_rules (project_id, name, condition_json, action_json, cooldown_minutes)
    VALUES ($1::uuid, $2, $3::jsonb, $4::jsonb, $5::int) RETURNING id::text AS id"
  Pool.query(pool, sql, [project_id, name, condition, action, "${cooldown}"])
end

pub fn set_enabled(pool :: PoolHandle, rule_id :: String, enabled :: Bool) -> Result<Int, ApiError> do
  Db.execute(pool, "UPDATE alert_rules SET enabled = $2::boolean WHERE id = $1::uuid", [rule_id, "${enabled}"])
end

pub fn delete_rule(pool :: PoolHandle, rule_id :: String) -> Result<Int, ApiError> do
  Db.execute(pool, "DELETE FROM alert_rules WHERE id = $1::uuid", [rule_id])
end

## Up to 50 newest alerts; `status` "" lists all.
pub fn list_alerts(pool :: PoolHandle, project_id :: String, status :: String) -> Result<List<AlertRow>, ApiError> do
  let sql = "SELECT a.id::text AS id, a.rule_id::text AS rule_id, a.project_id::text AS project_id, a.status,
      a.message, a.condition_snapshot::text AS condition_snapshot, a.triggered_at::text AS triggered_at,
      a.acknowledged_at::text AS acknowledged_at, a.resolved_at::text AS resolved_at,
      COALESCE(r.name, a.condition_snapshot->>'rule_name', '') AS rule_name
    FROM alerts a LEFT JOIN alert_rules r ON r.id = a.rule_id
    WHERE a.project_id = $1::uuid AND ($2 = '' OR a.status = $2)
    ORDER BY a.triggered_at DESC, a.id DESC LIMIT 50"
  Db.rows(pool, sql, [project_id, status], AlertRow.from_row)
end

## active -> acknowledged only.
pub fn acknowledge(pool :: PoolHandle, alert_id :: String) -> Result<Int, ApiError> do
  Db.execute(pool, "UPDATE alerts SET status = 'acknowledged', acknowledged_at = now() WHERE id = $1::uuid AND status = 'active'", [alert_id])
end

## active or acknowledged -> resolved.
pub fn resolve(pool :: PoolHandle, alert_id :: String) -> Result<Int, ApiError> do
  Db.execute(pool, "UPDATE alerts SET status = 'resolved', resolved_at = now() WHERE id = $1::uuid AND status IN ('active', 'acknowledged')", [alert_id])
end
