# Alert rule and alert endpoints (mesher.md §4.8, §6.5): typed, validated rule conditions, the
# websocket action, cooldowns, and the active -> acknowledged -> resolved lifecycle.
import Api.Http
import Api.Db
import Api.JsonOut
from Api.Http import Reply, ApiError
from Api.Queries.Alerts import RuleRow, AlertRow, list_rules, create_rule, set_enabled, delete_rule, list_alerts, acknowledge, resolve

pub type Condition do
  Threshold(Int, Int)
  NewIssue
  Regression
end

fn invalid_condition(why :: String) -> ApiError = BadRequest("invalid condition: ${why}")

## An integer member >= `min` of the condition object.
fn int_at_least(condition :: Json, name :: String, min :: Int) -> Result<Int, ApiError> do
  case Http.member(condition, name) do
    Some(v) when Json.kind(v) == "int" -> case Json.as_int(v) do
      Some(n) when n >= min -> Ok(n)
      _ -> Err(invalid_condition("${name} must be an integer >= ${min}"))
    end
    _ -> Err(invalid_condition("${name} must be an integer >= ${min}"))
  end
end

fn parse_condition(body :: Json) -> Result<Condition, ApiError> do
  let condition = case Http.member(body, "condition") do
    Some(c) when Json.kind(c) == "object" -> c
    _ -> return Err(invalid_condition("condition_type must be threshold, new_issue or regression"))
  end
  let kind = case Http.member(condition, "condition_type") do
    Some(v) -> Json.as_string(v)
    None -> None
  end
  case kind do
    Some("threshold") -> Ok(Threshold(int_at_least(condition, "threshold", 0)?, int_at_least(condition, "window_minutes", 1)?))
    Some("new_issue") -> Ok(NewIssue)
    Some("regression") -> Ok(Regression)
    _ -> Err(invalid_condition("condition_type must be threshold, new_issue or regression"))
  end
end

fn condition_json(condition :: Condition) -> String do
  case condition do
    Threshold(threshold, window) -> JsonOut.encode_obj([
      ("condition_type", JsonOut.str("threshold")),
      ("threshold", JsonOut.int(threshold)),
      ("window_minutes", JsonOut.int(window))
    ])
    NewIssue -> JsonOut.encode_obj([("condition_type", JsonOut.str("new_issue"))])
    Regression -> JsonOut.encode_obj([("condition_type", JsonOut.str("regression"))])
  end
end

## The only action is WebSocket delivery (§1.1); absent means that one.
fn parse_action(body :: Json) -> Result<String, ApiError> do
  let websocket = JsonOut.encode_obj([("type", JsonOut.str("websocket"))])
  case Http.member(body, "action") do
    None -> Ok(websocket)
    Some(a) -> case Json.field(a, "type") do
      Some(t) when Json.as_string(t) == Some("websocket") -> Ok(websocket)
      _ -> Err(BadRequest("invalid action: type must be websocket"))
    end
  end
end

struct Rule do
  id :: String
  project_id :: String
  name :: String
  condition :: Json
  action :: Json
  enabled :: Bool
  cooldown_minutes :: Int
  last_fired_at :: Option<String>
  created_at :: String
end deriving(Json)

struct Alert do
  id :: String
  rule_id :: String
  project_id :: String
  status :: String
  message :: String
  condition_snapshot :: Json
  triggered_at :: String
  acknowledged_at :: Option<String>
  resolved_at :: Option<String>
  rule_name :: String
end deriving(Json)

fn rule_json(r :: RuleRow) -> Rule do
  Rule {
    id: r.id,
    project_id: r.project_id,
    name: r.name,
    condition: JsonOut.raw_or(r.condition, "{}"),
    action: JsonOut.raw_or(r.action, "{}"),
    enabled: r.enabled,
    cooldown_minutes: r.cooldown_minutes,
    last_fired_at: r.last_fired_at,
    created_at: r.created_at
  }
end

fn alert_json(a :: AlertRow) -> Alert do
  Alert {
    id: a.id,
    rule_id: a.rule_id,
    project_id: a.project_id,
    status: a.status,
    message: a.message,
    condition_snapshot: JsonOut.raw_or(a.condition_snapshot, "{}"),
    triggered_at: a.triggered_at,
    acknowledged_at: a.acknowledged_at,
    resolved_at: a.resolved_at,
    rule_name: a.rule_name
  }
end

pub fn rules(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  let rows = list_rules(pool, project_id)?
  Http.ok_body(Json.encode(List.map(rows, rule_json)))
end

pub fn create(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let body = Http.body_object(request)?
  let name = case Http.opt_string(body, "name")? do
    Some(n) when n != "" -> n
    _ -> "Unnamed Rule"
  end
  let condition = parse_condition(body)?
  let action = parse_action(body)?
  let cooldown = case Http.member(body, "cooldown_minutes") do
    None -> 60
    Some(v) -> case Json.as_int(v) do
      Some(n) when n >= 0 and Json.kind(v) == "int" -> n
      _ -> return Err(invalid_condition("cooldown_minutes must be an integer >= 0"))
    end
  end
  let pool = Db.pool()?
  case create_rule(pool, project_id, name, condition_json(condition), action, cooldown) do
    Ok(row :: _) -> Http.created(row["id"])
    Ok(_) -> Err(Internal("alert rule insert returned no row"))
    Err(e) -> if Db.sqlstate(e) == "23503" do
      Err(NotFound("project not found"))
    else
      Err(Internal(e))
    end
  end
end

pub fn toggle(request :: Request) -> Reply do
  let rule_id = Http.uuid_param(request, "rule_id")?
  let body = Http.body_object(request)?
  let enabled = case Http.opt_bool(body, "enabled") do
    Ok(Some(b)) -> b
    Ok(None) -> true
    Err(_) -> return Err(BadRequest("enabled must be a boolean"))
  end
  let pool = Db.pool()?
  Http.affected(set_enabled(pool, rule_id, enabled)?)
end

pub fn delete(request :: Request) -> Reply do
  let rule_id = Http.uuid_param(request, "rule_id")?
  let pool = Db.pool()?
  Http.affected(delete_rule(pool, rule_id)?)
end

pub fn alerts(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let status = Http.query(request, "status")
  if not List.contains(["", "active", "acknowledged", "resolved"], status) do
    return Err(BadRequest("invalid status"))
  end
  let pool = Db.pool()?
  let rows = list_alerts(pool, project_id, status)?
  Http.ok_body(Json.encode(List.map(rows, alert_json)))
end

pub fn ack(request :: Request) -> Reply do
  let alert_id = Http.uuid_param(request, "alert_id")?
  let pool = Db.pool()?
  Http.affected(acknowledge(pool, alert_id)?)
end

pub fn resolve_alert(request :: Request) -> Reply do
  let alert_id = Http.uuid_param(request, "alert_id")?
  let pool = Db.pool()?
  Http.affected(resolve(pool, alert_id)?)
end
