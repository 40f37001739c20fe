# Daily partitions of `events` (mesher.md §3.4, §6.7): named events_YYYYMMDD, covering one UTC day;
# created ahead, on demand for a row's day, listed and dropped when older than 90 days.
import Storage.Db

fn create_day(pool :: PoolHandle, name :: String, from_day :: String, to_day :: String) -> Result<(), String> do
  let sql = "CREATE TABLE IF NOT EXISTS ${name} PARTITION OF events FOR VALUES FROM ('${from_day} 00:00:00+00') TO ('${to_day} 00:00:00+00')"
  case Pool.execute(pool, sql, []) do
    Ok(_) -> Ok(())
    # a concurrent creator (another node on the same database) won the race
    Err(e) -> if Db.sqlstate(e) == "42P07" do Ok(()) else Err(e) end
  end
end

# The partitions for `first` .. `first + count - 1` days from today (UTC), as (name, day, next day).
fn days(pool :: PoolHandle, from_offset :: Int, count :: Int) -> Result<List<Map<String, String>>, String> do
  Pool.query(pool, "SELECT 'events_' || to_char(d, 'YYYYMMDD') AS name, to_char(d, 'YYYY-MM-DD') AS d0, to_char(d + 1, 'YYYY-MM-DD') AS d1 FROM (SELECT (now() AT TIME ZONE 'UTC')::date + g AS d FROM generate_series($1::int, $1::int + $2::int - 1) AS g) AS days ORDER BY d", ["${from_offset}", "${count}"])
end

# Today plus the next `count - 1` UTC days; returns how many partitions were ensured.
pub fn ensure_ahead(pool :: PoolHandle, count :: Int) -> Result<Int, String> do
  let rows = days(pool, 0, count)?
  for row in rows do
    create_day(pool, Map.get(row, "name"), Map.get(row, "d0"), Map.get(row, "d1"))?
  end
  Ok(List.length(rows))
end

# The partition holding timestamp `ts` (text), created if missing.
pub fn ensure_for(pool :: PoolHandle, ts :: String) -> Result<(), String> do
  let rows = Pool.query(pool, "SELECT 'events_' || to_char(d, 'YYYYMMDD') AS name, to_char(d, 'YYYY-MM-DD') AS d0, to_char(d + 1, 'YYYY-MM-DD') AS d1 FROM (SELECT ($1::timestamptz AT TIME ZONE 'UTC')::date AS d) AS x", [ts])?
  for row in rows do
    create_day(pool, Map.get(row, "name"), Map.get(row, "d0"), Map.get(row, "d1"))?
  end
  Ok(())
end

# Children of `events` named events_YYYYMMDD whose day is more than `days_old` days before today.
pub fn older_than(pool :: PoolHandle, days_old :: Int) -> Result<List<String>, String> do
  let rows = Pool.query(pool, "SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass AND c.relname ~ '^events_[0-9]{8}$' AND to_date(substring(c.relname FROM 8), 'YYYYMMDD') < (now() AT TIME ZONE 'UTC')::date - $1::int ORDER BY 1", ["${days_old}"])?
  Ok(List.map(rows, fn row -> Map.get(row, "name") end))
end

pub fn drop_partition(pool :: PoolHandle, name :: String) -> Result<(), String> do
  let _ = Pool.execute(pool, "DROP TABLE IF EXISTS ${name}", [])?
  Ok(())
end
