# Organisations, projects, users and sessions (mesher.md §4.10): the routes that make a fresh
# node usable over HTTP (bootstrap of §8) and the login that yields session tokens (§2.5).
import Api.Http
import Api.Db
import Api.Ids
from Api.Http import Reply, ApiError
from Api.Queries.Team import create_org, list_orgs, get_org, create_project, list_projects, get_project, create_user, check_password, create_session, delete_session

## 201 with the new id, or the documented error for a constraint violation.
fn created_or(result :: Result<String, String>, on_unique :: ApiError, on_foreign :: ApiError) -> Reply do
  case result do
    Ok(id) -> Http.created(id)
    Err(e) -> case Db.sqlstate(e) do
      "23505" -> Err(on_unique)
      "23503" -> Err(on_foreign)
      _ -> Err(Internal(e))
    end
  end
end

pub fn create_organization(request :: Request) -> Reply do
  let body = Http.body_object(request)?
  let name = Http.required_string(body, "name")?
  let slug = Http.required_string(body, "slug")?
  if not Ids.is_slug(slug) do
    return Err(BadRequest("invalid slug: must match ^[a-z0-9][a-z0-9-]{0,62}$"))
  end
  let pool = Db.pool()?
  created_or(create_org(pool, name, slug), Conflict("slug already exists"), Internal("unexpected foreign key"))
end

pub fn organizations(request :: Request) -> Reply do
  let pool = Db.pool()?
  Http.ok_body(Json.encode(list_orgs(pool)?))
end

pub fn organization(request :: Request) -> Reply do
  let org_id = Http.uuid_param(request, "org_id")?
  let pool = Db.pool()?
  case get_org(pool, org_id)? do
    Some(org) -> Http.ok_body(Json.encode(org))
    None -> Err(NotFound("org not found"))
  end
end

pub fn create_org_project(request :: Request) -> Reply do
  let org_id = Http.uuid_param(request, "org_id")?
  let body = Http.body_object(request)?
  let name = Http.required_string(body, "name")?
  let platform = Http.opt_string(body, "platform")?
  let pool = Db.pool()?
  created_or(create_project(pool, org_id, name, platform), Conflict("project already exists"), NotFound("org not found"))
end

pub fn org_projects(request :: Request) -> Reply do
  let org_id = Http.uuid_param(request, "org_id")?
  let pool = Db.pool()?
  Http.ok_body(Json.encode(list_projects(pool, org_id)?))
end

pub fn project(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  case get_project(pool, project_id)? do
    Some(p) -> Http.ok_body(Json.encode(p))
    None -> Err(NotFound("project not found"))
  end
end

pub fn register_user(request :: Request) -> Reply do
  let body = Http.body_object(request)?
  let email = Http.required_string(body, "email")?
  let password = Http.required_string(body, "password")?
  let display_name = Http.required_string(body, "display_name")?
  if not String.contains(email, "@") do
    return Err(BadRequest("invalid email"))
  end
  if String.length(password) < 8 do
    return Err(BadRequest("password must be at least 8 characters"))
  end
  let pool = Db.pool()?
  created_or(create_user(pool, email, password, display_name), Conflict("email already registered"), Internal("unexpected foreign key"))
end

pub fn login(request :: Request) -> Reply do
  let body = Http.body_object(request)?
  let email = Http.required_string(body, "email")?
  let password = Http.required_string(body, "password")?
  let pool = Db.pool()?
  let user_id = case check_password(pool, email, password)? do
    Some(id) -> id
    None -> return Err(Unauthorized("invalid credentials"))
  end
  case create_session(pool, Crypto.random_hex(32), user_id)? do
    Some(session) -> Http.ok_body(Json.encode(session))
    None -> Err(Internal("session insert returned no row"))
  end
end

## Deletes the session named by `Authorization: Bearer {token}`.
pub fn logout(request :: Request) -> Reply do
  let token = bearer(request)
  if token != "" do
    let pool = Db.pool()?
    let _ = delete_session(pool, token)?
  end
  Http.ok_status()
end

## The token of an `Authorization: Bearer …` header, "" without one.
pub fn bearer(request :: Request) -> String do
  case Request.header(request, "authorization") do
    Some(value) when String.starts_with(value, "Bearer ") -> String.trim(String.slice(value, 7, String.length(value)))
    _ -> ""
  end
end
