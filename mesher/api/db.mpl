# Database access for the management API: the node-local pool (through the node-local
# PipelineRegistry, §7.2), typed row decoding, and the SQLSTATE of an error string (§28.3).
# Every value reaches SQL as a bound parameter; no statement is built from request data.
import Api.Http
from Api.Http import ApiError
from Ingestion.Pipeline import PipelineRegistry

pub fn pool() -> Result<PoolHandle, ApiError> do
  case Process.lookup("mesher_registry") do
    Some(reg) -> Ok(PipelineRegistry.get_pool(reg))
    None -> Err(Internal("mesher_registry is not running"))
  end
end

pub fn query(pool :: PoolHandle, sql :: String, params :: List<String>) -> Result<List<Map<String, String>>, ApiError> do
  Ok(Pool.query(pool, sql, params)?)
end

pub fn execute(pool :: PoolHandle, sql :: String, params :: List<String>) -> Result<Int, ApiError> do
  Ok(Pool.execute(pool, sql, params)?)
end

## Rows decoded with `decode` (usually `T.from_row`); a row that does not decode is a 500.
pub fn rows<T>(pool :: PoolHandle, sql :: String, params :: List<String>, decode :: Fun(Map<String, String>) -> Result<T, String>) -> Result<List<T>, ApiError> do
  let raw = Pool.query(pool, sql, params)?
  let decoded = List.map(raw, decode)
  case List.find(decoded, fn r -> is_err(r) end) do
    Some(Err(e)) -> Err(Internal("row decode: ${e}"))
    _ -> Ok(List.flat_map(decoded, fn r -> case r do
      Ok(v) -> [v]
      Err(_) -> []
    end end))
  end
end

## The first row decoded, or None.
pub fn one<T>(pool :: PoolHandle, sql :: String, params :: List<String>, decode :: Fun(Map<String, String>) -> Result<T, String>) -> Result<Option<T>, ApiError> do
  case rows(pool, sql, params, decode)? do
    [] -> Ok(None)
    first :: _ -> Ok(Some(first))
  end
end

fn is_err<T>(r :: Result<T, String>) -> Bool do
  case r do
    Ok(_) -> false
    Err(_) -> true
  end
end

## The SQLSTATE of a database error string ("" for non-server errors).
pub fn sqlstate(err :: String) -> String do
  case String.split(err, "\t") do
    code :: _ :: _ -> code
    _ -> ""
  end
end

## True when `id` names an existing row of `table` (a fixed table name, never request data).
pub fn exists(pool :: PoolHandle, table :: String, id :: String) -> Result<Bool, ApiError> do
  let found = query(pool, "SELECT 1 AS one FROM " <> table <> " WHERE id = $1::uuid", [id])?
  Ok(found != [])
end

## Whether PostgreSQL reads `text` as a timestamptz (pagination cursors come from clients).
pub fn is_timestamp(pool :: PoolHandle, text :: String) -> Result<Bool, ApiError> do
  case Pool.query(pool, "SELECT $1::timestamptz::text AS t", [text]) do
    Ok(_) -> Ok(true)
    Err(e) -> if String.starts_with(sqlstate(e), "22") do Ok(false) else Err(Internal(e)) end
  end
end
