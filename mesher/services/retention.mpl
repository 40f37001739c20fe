# Retention (mesher.md §6.7): per-project deletion of expired events and dropping of partitions
# older than 90 days, daily; and the partition maintainer that keeps 7 days of partitions ahead.
import Storage.Db
import Storage.Partitions

pub fn clean(pool :: PoolHandle) -> Result<Int, String> do
  let deleted = Pool.execute(pool, "DELETE FROM events e USING projects p WHERE e.project_id = p.id AND e.received_at < now() - make_interval(days => p.retention_days)", [])?
  let old = Partitions.older_than(pool, 90)?
  for name in old do
    Partitions.drop_partition(pool, name)?
    println("[Mesher] Dropped expired partition: ${name}")
  end
  Ok(deleted)
end

actor retention_cleaner(reg :: Pid, pool :: PoolHandle, interval_ms :: Int) do
  receive do
  after interval_ms -> ()
  end
  if Process.whereis("mesher_registry") == reg do
    case Job.await(Job.async(fn -> clean(pool) end)) do
      Ok(Ok(n)) -> println("[Mesher] Retention cleanup: deleted ${n} expired events")
      Ok(Err(e)) -> println("[Mesher] Retention cleanup error: ${Db.message(e)}")
      Err(e) -> println("[Mesher] Retention cleanup error: ${e}")
    end
    retention_cleaner(reg, pool, interval_ms)
  end
end

# Hourly: today plus the next 6 UTC days always have partitions (startup did the first run).
actor partition_maintainer(reg :: Pid, pool :: PoolHandle) do
  receive do
  after 3600000 -> ()
  end
  if Process.whereis("mesher_registry") == reg do
    case Job.await(Job.async(fn -> Partitions.ensure_ahead(pool, 7) end)) do
      Ok(Ok(_)) -> ()
      Ok(Err(e)) -> eprintln("[Mesher] Partition maintenance error: ${Db.message(e)}")
      Err(e) -> eprintln("[Mesher] Partition maintenance error: ${e}")
    end
    partition_maintainer(reg, pool)
  end
end
