# Spike detection for archived issues (mesher.md §6.6): escalate to unresolved when the last hour
# holds more than max(10, floor(week / 168) * 10) events.
import Storage.Db
import Storage.Queries
from Services.StreamManager import notify_issue, notify_issue_count

pub fn check_spikes(pool :: PoolHandle) -> Result<Int, String> do
  let rows = Pool.query(pool, "SELECT i.id::text AS id, i.project_id::text AS project_id, (SELECT count(*) FROM events e WHERE e.issue_id = i.id AND e.received_at > now() - interval '1 hour')::int AS h, (SELECT count(*) FROM events e WHERE e.issue_id = i.id AND e.received_at > now() - interval '7 days')::int AS w FROM issues i WHERE i.status = 'archived'", [])?
  let spiking = List.filter(rows, fn(row) do
    let h = Db.to_int(Map.get(row, "h"))
    let w = Db.to_int(Map.get(row, "w"))
    h > Math.max(10, (w / 168) * 10)
  end)
  let escalated = List.filter(spiking, fn(row) do
    let id = Map.get(row, "id")
    let project_id = Map.get(row, "project_id")
    case Pool.execute(pool, "UPDATE issues SET status = 'unresolved' WHERE id = $1::uuid AND status = 'archived'", [id]) do
      Ok(1) -> do
        notify_issue(project_id, "escalated", id)
        case Queries.count_unresolved(pool, project_id) do
          Ok(n) -> notify_issue_count(project_id, n)
          Err(_) -> ()
        end
        true
      end
      _ -> false
    end
  end)
  Ok(List.length(escalated))
end

# Every MESHER_SPIKE_INTERVAL_MS; a failing run is logged and the next one still happens.
actor spike_checker(reg :: Pid, pool :: PoolHandle, interval_ms :: Int) do
  receive do
  after interval_ms -> ()
  end
  if Process.whereis("mesher_registry") == reg do
    case Job.await(Job.async(fn -> check_spikes(pool) end)) do
      Ok(Ok(n)) -> if n > 0 do println("[Mesher] Spike checker: escalated ${n} archived issues") end
      Ok(Err(e)) -> println("[Mesher] Spike checker error: ${Db.message(e)}")
      Err(e) -> println("[Mesher] Spike checker error: ${e}")
    end
    spike_checker(reg, pool, interval_ms)
  end
end
