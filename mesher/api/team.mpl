# Team and API-key endpoints (mesher.md §4.7): memberships with roles, and per-project keys
# (`mshr_` + 48 hex digits from a CSPRNG) with immediate revocation.
import Api.Http
import Api.Db
import Api.Ids
import Api.Roles
from Api.Http import Reply
from Api.Queries.Team import list_members, add_member, set_member_role, remove_member, list_keys, create_key, revoke_key

struct CreatedKey do
  id :: String
  key_value :: String
end deriving(Json)

pub fn members(request :: Request) -> Reply do
  let org_id = Http.uuid_param(request, "org_id")?
  let pool = Db.pool()?
  Http.ok_body(Json.encode(list_members(pool, org_id)?))
end

pub fn add(request :: Request) -> Reply do
  let org_id = Http.uuid_param(request, "org_id")?
  let body = Http.body_object(request)?
  let user_id = case Http.opt_string(body, "user_id") do
    Ok(Some(u)) when u != "" -> u
    Ok(_) -> return Err(BadRequest("user_id is required"))
    Err(_) -> return Err(BadRequest("invalid user_id"))
  end
  if not Ids.is_uuid(user_id) do
    return Err(BadRequest("invalid user_id"))
  end
  let role = case Http.opt_string(body, "role") do
    Ok(None) -> Roles.Member
    Ok(Some(text)) -> case Roles.parse_role(text) do
      Some(r) -> r
      None -> return Err(BadRequest("invalid role"))
    end
    Err(_) -> return Err(BadRequest("invalid role"))
  end
  let pool = Db.pool()?
  if not Db.exists(pool, "organizations", org_id)? do
    return Err(NotFound("org not found"))
  end
  if not Db.exists(pool, "users", String.to_lower(user_id))? do
    return Err(NotFound("user not found"))
  end
  case add_member(pool, org_id, String.to_lower(user_id), Roles.role_name(role)) do
    Ok(id) -> Http.created(id)
    Err(e) -> case Db.sqlstate(e) do
      "23505" -> Err(Conflict("already a member"))
      "23503" -> Err(NotFound("user not found"))
      _ -> Err(Internal(e))
    end
  end
end

## An unknown role changes nothing (affected 0), as in the original.
pub fn change_role(request :: Request) -> Reply do
  let org_id = Http.uuid_param(request, "org_id")?
  let membership_id = Http.uuid_param(request, "membership_id")?
  let body = Http.body_object(request)?
  let role = case Http.opt_string(body, "role") do
    Ok(Some(text)) -> Roles.parse_role(text)
    _ -> None
  end
  case role do
    Some(r) -> do
      let pool = Db.pool()?
      Http.affected(set_member_role(pool, org_id, membership_id, Roles.role_name(r))?)
    end
    None -> Http.affected(0)
  end
end

pub fn remove(request :: Request) -> Reply do
  let org_id = Http.uuid_param(request, "org_id")?
  let membership_id = Http.uuid_param(request, "membership_id")?
  let pool = Db.pool()?
  Http.affected(remove_member(pool, org_id, membership_id)?)
end

pub fn keys(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let pool = Db.pool()?
  Http.ok_body(Json.encode(list_keys(pool, project_id)?))
end

pub fn create(request :: Request) -> Reply do
  let project_id = Http.uuid_param(request, "project_id")?
  let body = Http.body_object(request)?
  let label = case Http.opt_string(body, "label")? do
    Some(l) -> l
    None -> "default"
  end
  let pool = Db.pool()?
  let key_value = "mshr_" <> Crypto.random_hex(24)
  case create_key(pool, project_id, key_value, label) do
    Ok(id) -> Ok(HTTP.response(201, Json.encode(CreatedKey { id: id, key_value: key_value })))
    Err(e) -> if Db.sqlstate(e) == "23503" do
      Err(NotFound("project not found"))
    else
      Err(Internal(e))
    end
  end
end

pub fn revoke(request :: Request) -> Reply do
  let key_id = Http.uuid_param(request, "key_id")?
  let pool = Db.pool()?
  Http.affected(revoke_key(pool, key_id)?)
end
