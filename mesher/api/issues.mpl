# Issue actions (mesher.md §4.3): status changes, deletion and assignment. Every change that
# affected a row is broadcast to the issue's project room with the new unresolved count.
import Api.Http
import Api.Db
import Api.Ids
import Services.StreamManager
from Api.Http import Reply
from Api.Queries.Issues import IssueAction, target_status, set_status, delete_issue, assign
from Storage.Queries import count_unresolved

pub fn resolve(request :: Request) -> Reply = apply(request, Resolve)
pub fn archive(request :: Request) -> Reply = apply(request, Archive)
pub fn unresolve(request :: Request) -> Reply = apply(request, Unresolve)
pub fn discard(request :: Request) -> Reply = apply(request, Discard)

fn apply(request :: Request, action :: IssueAction) -> Reply do
  let issue_id = Http.uuid_param(request, "issue_id")?
  let pool = Db.pool()?
  let projects = set_status(pool, issue_id, action)?
  announce(pool, projects, target_status(action), issue_id)
  Http.affected(List.length(projects))
end

pub fn delete(request :: Request) -> Reply do
  let issue_id = Http.uuid_param(request, "issue_id")?
  let pool = Db.pool()?
  let projects = delete_issue(pool, issue_id)?
  announce(pool, projects, "deleted", issue_id)
  Http.affected(List.length(projects))
end

## `issue` then `issue_count` to each affected project's room (§5.3).
fn announce(pool :: PoolHandle, projects :: List<String>, action :: String, issue_id :: String) -> () do
  for project_id in projects do
    StreamManager.notify_issue(project_id, action, issue_id)
    if StreamManager.has_listeners(project_id) do
      case count_unresolved(pool, project_id) do
        Ok(n) -> StreamManager.notify_issue_count(project_id, n)
        Err(_) -> ()
      end
    end
  end
  ()
end

## Body `{"user_id": uuid}`; a missing, null or "" user_id unassigns.
pub fn assign_issue(request :: Request) -> Reply do
  let issue_id = Http.uuid_param(request, "issue_id")?
  let body = Http.body_object(request)?
  let user_id = case Http.opt_string(body, "user_id") do
    Ok(Some(u)) -> u
    Ok(None) -> ""
    Err(_) -> return Err(BadRequest("invalid user_id"))
  end
  if user_id != "" and not Ids.is_uuid(user_id) do
    return Err(BadRequest("invalid user_id"))
  end
  let pool = Db.pool()?
  if user_id != "" and not Db.exists(pool, "users", user_id)? do
    return Err(NotFound("user not found"))
  end
  if assign(pool, issue_id, String.to_lower(user_id))? == 0 do
    return Err(NotFound("issue not found"))
  end
  Http.ok_status()
end
