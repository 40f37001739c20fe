# SQL for organisations, projects, users, sessions, memberships and API keys (mesher.md §4.7,
# §4.9, §4.10). Parameters only; passwords are hashed by pgcrypto (bcrypt, cost 12).
import Api.Db
from Api.Http import ApiError

pub struct OrgRow do
  id :: String
  name :: String
  slug :: String
  created_at :: String
end deriving(Json, Row)

pub struct ProjectRow do
  id :: String
  org_id :: String
  name :: String
  platform :: Option<String>
  created_at :: String
end deriving(Json, Row)

pub struct ProjectDetail do
  id :: String
  org_id :: String
  name :: String
  platform :: Option<String>
  created_at :: String
  retention_days :: Int
  sample_rate :: Float
end deriving(Json, Row)

pub struct MemberRow do
  id :: String
  user_id :: String
  email :: String
  display_name :: String
  role :: String
  joined_at :: String
end deriving(Json, Row)

pub struct ApiKeyRow do
  id :: String
  project_id :: String
  key_value :: String
  label :: String
  created_at :: String
  revoked_at :: Option<String>
end deriving(Json, Row)

pub struct Settings do
  retention_days :: Int
  sample_rate :: Float
end deriving(Json, Row)

pub struct Storage do
  event_count :: Int
  estimated_bytes :: Int
end deriving(Json, Row)

pub struct SessionRow do
  token :: String
  user_id :: String
  expires_at :: String
end deriving(Json, Row)

struct IdRow do
  id :: String
end deriving(Row)

let project_columns = "id::text AS id, org_id::text AS org_id, name, platform, created_at::text AS created_at"

## The id of the inserted row, or the database error string (callers map constraint errors).
fn insert_returning_id(pool :: PoolHandle, sql :: String, params :: List<String>) -> Result<String, String> do
  case Pool.query(pool, sql, params)? do
    row :: _ -> Ok(row["id"])
    _ -> Err("insert returned no row")
  end
end

pub fn create_org(pool :: PoolHandle, name :: String, slug :: String) -> Result<String, String> do
  insert_returning_id(pool, "INSERT INTO organizations (name, slug) VALUES ($1, $2) RETURNING id::text AS id", [name, slug])
end

pub fn list_orgs(pool :: PoolHandle) -> Result<List<OrgRow>, ApiError> do
  Db.rows(pool, "SELECT id::text AS id, name, slug, created_at::text AS created_at FROM organizations ORDER BY name, id", [], OrgRow.from_row)
end

pub fn get_org(pool :: PoolHandle, org_id :: String) -> Result<Option<OrgRow>, ApiError> do
  Db.one(pool, "SELECT id::text AS id, name, slug, created_at::text AS created_at FROM organizations WHERE id = $1::uuid", [org_id], OrgRow.from_row)
end

pub fn create_project(pool :: PoolHandle, org_id :: String, name :: String, platform :: Option<String>) -> Result<String, String> do
  case platform do
    Some(p) -> insert_returning_id(pool, "INSERT INTO projects (org_id, name, platform) VALUES ($1::uuid, $2, $3) RETURNING id::text AS id", [org_id, name, p])
    None -> insert_returning_id(pool, "INSERT INTO projects (org_id, name) VALUES ($1::uuid, $2) RETURNING id::text AS id", [org_id, name])
  end
end

pub fn list_projects(pool :: PoolHandle, org_id :: String) -> Result<List<ProjectRow>, ApiError> do
  Db.rows(pool, "SELECT " <> project_columns <> " FROM projects WHERE org_id = $1::uuid ORDER BY name, id", [org_id], ProjectRow.from_row)
end

pub fn get_project(pool :: PoolHandle, project_id :: String) -> Result<Option<ProjectDetail>, ApiError> do
  Db.one(pool, "SELECT " <> project_columns <> ", retention_days, sample_rate::text AS sample_rate FROM projects WHERE id = $1::uuid", [project_id], ProjectDetail.from_row)
end

pub fn create_user(pool :: PoolHandle, email :: String, password :: String, display_name :: String) -> Result<String, String> do
  insert_returning_id(pool, "INSERT INTO users (email, password_hash, display_name) VALUES ($1, crypt($2, gen_salt('bf', 12)), $3) RETURNING id::text AS id", [email, password, display_name])
end

## The user id when the password matches.
pub fn check_password(pool :: PoolHandle, email :: String, password :: String) -> Result<Option<String>, ApiError> do
  let found = Db.one(pool, "SELECT id::text AS id FROM users WHERE email = $1 AND password_hash = crypt($2, password_hash)", [email, password], IdRow.from_row)?
  case found do
    Some(row) -> Ok(Some(row.id))
    None -> Ok(None)
  end
end

pub fn create_session(pool :: PoolHandle, token :: String, user_id :: String) -> Result<Option<SessionRow>, ApiError> do
  Db.one(pool, "INSERT INTO sessions (token, user_id) VALUES ($1, $2::uuid) RETURNING token, user_id::text AS user_id, expires_at::text AS expires_at", [token, user_id], SessionRow.from_row)
end

pub fn delete_session(pool :: PoolHandle, token :: String) -> Result<Int, ApiError> do
  Db.execute(pool, "DELETE FROM sessions WHERE token = $1", [token])
end

pub fn session_valid(pool :: PoolHandle, token :: String) -> Result<Bool, ApiError> do
  let found = Db.query(pool, "SELECT 1 AS one FROM sessions WHERE token = $1 AND expires_at > now()", [token])?
  Ok(found != [])
end

pub fn list_members(pool :: PoolHandle, org_id :: String) -> Result<List<MemberRow>, ApiError> do
  let sql = "SELECT m.id::text AS id, m.user_id::text AS user_id, u.email, u.display_name, m.role, m.joined_at::text AS joined_at
    FROM org_memberships m JOIN users u ON u.id = m.user_id
    WHERE m.org_id = $1::uuid ORDER BY m.joined_at, m.id"
  Db.rows(pool, sql, [org_id], MemberRow.from_row)
end

pub fn add_member(pool :: PoolHandle, org_id :: String, user_id :: String, role :: String) -> Result<String, String> do
  insert_returning_id(pool, "INSERT INTO org_memberships (org_id, user_id, role) VALUES ($1::uuid, $2::uuid, $3) RETURNING id::text AS id", [org_id, user_id, role])
end

pub fn set_member_role(pool :: PoolHandle, org_id :: String, membership_id :: String, role :: String) -> Result<Int, ApiError> do
  Db.execute(pool, "UPDATE org_memberships SET role = $3 WHERE id = $2::uuid AND org_id = $1::uuid", [org_id, membership_id, role])
end

pub fn remove_member(pool :: PoolHandle, org_id :: String, membership_id :: String) -> Result<Int, ApiError> do
  Db.execute(pool, "DELETE FROM org_memberships WHERE id = $2::uuid AND org_id = $1::uuid", [org_id, membership_id])
end

pub fn list_keys(pool :: PoolHandle, project_id :: String) -> Result<List<ApiKeyRow>, ApiError> do
  let sql = "SELECT id::text AS id, project_id::text AS project_id, key_value, label, created_at::text AS created_at, revoked_at::text AS revoked_at
    FROM api_keys WHERE project_id = $1::uuid ORDER BY created_at DESC, id DESC"
  Db.rows(pool, sql, [project_id], ApiKeyRow.from_row)
end

pub fn create_key(pool :: PoolHandle, project_id :: String, key_value :: String, label :: String) -> Result<String, String> do
  insert_returning_id(pool, "INSERT INTO api_keys (project_id, key_value, label) VALUES ($1::uuid, $2, $3) RETURNING id::text AS id", [project_id, key_value, label])
end

## Revokes an active key; an already revoked key keeps its first revoked_at (affected 0).
pub fn revoke_key(pool :: PoolHandle, key_id :: String) -> Result<Int, ApiError> do
  Db.execute(pool, "UPDATE api_keys SET revoked_at = now() WHERE id = $1::uuid AND revoked_at IS NULL", [key_id])
end

pub fn get_settings(pool :: PoolHandle, project_id :: String) -> Result<Option<Settings>, ApiError> do
  Db.one(pool, "SELECT retention_days, sample_rate::text AS sample_rate FROM projects WHERE id = $1::uuid", [project_id], Settings.from_row)
end

## "" leaves a setting unchanged.
pub fn update_settings(pool :: PoolHandle, project_id :: String, retention_days :: String, sample_rate :: String) -> Result<Int, ApiError> do
  let sql = "UPDATE projects SET
      retention_days = COALESCE(NULLIF($2, '')::int, retention_days),
      sample_rate = COALESCE(NULLIF($3, '')::real, sample_rate)
    WHERE id = $1::uuid"
  Db.execute(pool, sql, [project_id, retention_days, sample_rate])
end

pub fn storage(pool :: PoolHandle, project_id :: String) -> Result<Option<Storage>, ApiError> do
  let sql = "SELECT n AS event_count, n * 1024 AS estimated_bytes FROM (SELECT count(*)::int AS n FROM events WHERE project_id = $1::uuid) c"
  Db.one(pool, sql, [project_id], Storage.from_row)
end
