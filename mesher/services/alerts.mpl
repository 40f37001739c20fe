# Alert rules (mesher.md §6.5): event-based new_issue/regression rules fired after an event is
# stored, the periodic threshold evaluator, and the atomic cooldown that lets exactly one caller
# (on any node sharing the database) fire a rule.
import Storage.Db
from Services.StreamManager import notify_alert

pub struct Rule do
  id :: String
  project_id :: String
  name :: String
  condition :: String
end

fn rules_of(pool :: PoolHandle, sql :: String, params :: List<String>) -> Result<List<Rule>, String> do
  let rows = Pool.query(pool, sql, params)?
  Ok(List.map(rows, fn row -> Rule {
    id: Map.get(row, "id"),
    project_id: Map.get(row, "project_id"),
    name: Map.get(row, "name"),
    condition: Map.get(row, "condition")
  } end))
end

# Claims the rule for this firing: sets last_fired_at only if the cooldown has passed, in one
# conditional UPDATE. True for the single caller whose update succeeded.
fn claim(pool :: PoolHandle, rule :: Rule) -> Result<Bool, String> do
  let n = Pool.execute(pool, "UPDATE alert_rules SET last_fired_at = now() WHERE id = $1::uuid AND enabled AND (last_fired_at IS NULL OR last_fired_at <= now() - make_interval(mins => cooldown_minutes))", [rule.id])?
  Ok(n == 1)
end

fn condition_type(rule :: Rule) -> String do
  case Json.parse(rule.condition) do
    Ok(j) -> case Json.field(j, "condition_type") do
      Some(t) -> case Json.as_string(t) do
        Some(s) -> s
        None -> ""
      end
      None -> ""
    end
    Err(_) -> ""
  end
end

# Fires one rule (subject to cooldown): inserts the alert and pushes it to the project's room.
fn fire(pool :: PoolHandle, rule :: Rule, message :: String) -> Result<Bool, String> do
  let claimed = claim(pool, rule)?
  if claimed do
    let kind = condition_type(rule)
    let snapshot = Json.encode(%{"condition_type" => kind, "rule_name" => rule.name})
    let alert_id = Db.query_value(pool, "INSERT INTO alerts (rule_id, project_id, status, message, condition_snapshot) VALUES ($1::uuid, $2::uuid, 'active', $3, $4::jsonb) RETURNING id::text AS id", [rule.id, rule.project_id, message, snapshot], "id")?
    notify_alert(rule.project_id, alert_id, rule.name, kind, message)
    Ok(true)
  else
    Ok(false)
  end
end

let rule_columns = "SELECT id::text AS id, project_id::text AS project_id, name, condition_json::text AS condition FROM alert_rules"

# After a stored event: every enabled rule of `kind` ("new_issue" or "regression") of the project.
pub fn fire_event_rules(pool :: PoolHandle, project_id :: String, issue_id :: String, kind :: String) -> Int do
  let message = "${kind} detected for issue ${issue_id}"
  case rules_of(pool, rule_columns <> " WHERE project_id = $1::uuid AND enabled AND condition_json->>'condition_type' = $2 ORDER BY created_at", [project_id, kind]) do
    Ok(rules) -> rules
      |> List.filter(fn rule -> case fire(pool, rule, message) do
        Ok(fired) -> fired
        Err(e) -> do
          eprintln("[Mesher] alert firing failed: " <> e)
          false
        end
      end end)
      |> List.length()
    Err(e) -> do
      eprintln("[Mesher] alert rules lookup failed: " <> e)
      0
    end
  end
end

fn int_member(j :: Json, name :: String) -> Option<Int> do
  case Json.field(j, name) do
    Some(v) -> if Json.kind(v) == "int" do Json.as_int(v) else None end
    None -> None
  end
end

# One threshold rule: fires when more than T events arrived in the last W minutes.
fn evaluate(pool :: PoolHandle, rule :: Rule) -> Result<Bool, String> do
  let limits = case Json.parse(rule.condition) do
    Ok(j) -> case (int_member(j, "threshold"), int_member(j, "window_minutes")) do
      (Some(t), Some(w)) -> Some((t, w))
      _ -> None
    end
    Err(_) -> None
  end
  case limits do
    None -> Ok(false)
    Some((threshold, window)) -> do
      let count = Db.query_int(pool, "SELECT count(*)::int AS n FROM events WHERE project_id = $1::uuid AND received_at > now() - make_interval(mins => $2::int)", [rule.project_id, "${window}"], "n")?
      if count > threshold do
        fire(pool, rule, "Event count exceeded ${threshold} in ${window} minutes")
      else
        Ok(false)
      end
    end
  end
end

# One evaluator run over every enabled threshold rule; returns how many fired.
pub fn evaluate_thresholds(pool :: PoolHandle) -> Result<Int, String> do
  let rules = rules_of(pool, rule_columns <> " WHERE enabled AND condition_json->>'condition_type' = 'threshold' ORDER BY created_at", [])?
  let fired = List.reduce(rules, Ok(0), fn(acc, rule) -> case acc do
    Ok(n) -> case evaluate(pool, rule) do
      Ok(true) -> Ok(n + 1)
      Ok(false) -> Ok(n)
      Err(e) -> Err(e)
    end
    Err(e) -> Err(e)
  end end)
  fired
end

# Every MESHER_ALERT_INTERVAL_MS (§6.5); each run is a job, so a failing run never stops the next.
actor alert_evaluator(reg :: Pid, pool :: PoolHandle, interval_ms :: Int) do
  receive do
  after interval_ms -> ()
  end
  if Process.whereis("mesher_registry") == reg do
    case Job.await(Job.async(fn -> evaluate_thresholds(pool) end)) do
      Ok(Ok(n)) -> println("[Mesher] Alert evaluator: checked rules, ${n} fired")
      Ok(Err(e)) -> println("[Mesher] Alert evaluator error: ${Db.message(e)}")
      Err(e) -> println("[Mesher] Alert evaluator error: ${e}")
    end
    alert_evaluator(reg, pool, interval_ms)
  end
end
