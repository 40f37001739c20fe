# Small helpers over Pool for the data layer: single values, error classification (mesher.md §6.4.3)
# and the SQLSTATE-free message of a database error for logs.

# The first column named `col` of the first row, or Err when there is no row.
pub fn query_value(pool :: PoolHandle, sql :: String, params :: List<String>, col :: String) -> Result<String, String> do
  let rows = Pool.query(pool, sql, params)?
  case rows do
    row :: _ -> Ok(Map.get(row, col))
    [] -> Err("no rows")
  end
end

pub fn query_int(pool :: PoolHandle, sql :: String, params :: List<String>, col :: String) -> Result<Int, String> do
  let text = query_value(pool, sql, params, col)?
  case String.to_int(text) do
    Some(n) -> Ok(n)
    None -> Err("not an integer: " <> text)
  end
end

# The SQLSTATE of a server error (`<SQLSTATE>\t...`, stdlib.md §28.3), "" for other failures.
pub fn sqlstate(err :: String) -> String do
  let parts = String.split(err, "\t")
  if List.length(parts) >= 5 do List.head(parts) else "" end
end

# The human part of an error (the message of a server error, the whole text otherwise).
pub fn message(err :: String) -> String do
  let parts = String.split(err, "\t")
  if List.length(parts) >= 5 do List.last(parts) else err end
end

# An insert into a day that has no partition (§3.4).
pub fn is_missing_partition(err :: String) -> Bool do
  String.contains(err, "no partition of relation")
end

# The database rejected the content itself: retrying the same rows cannot succeed. Everything else
# (connection loss, timeouts, pool exhaustion, shutdown, resource errors) is transient.
pub fn is_data_error(err :: String) -> Bool do
  let state = sqlstate(err)
  let class = String.slice(state, 0, 2)
  state != "" and not is_missing_partition(err) and (class == "22" or class == "23" or class == "42")
end

# A count column as Int (0 when it is not a number).
pub fn to_int(text :: String) -> Int do
  case String.to_int(text) do
    Some(n) -> n
    None -> 0
  end
end
