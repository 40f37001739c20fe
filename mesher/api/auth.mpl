# Management access (mesher.md §2.5): with MESHER_ADMIN_TOKEN set, every non-ingestion endpoint
# except login and status needs `Authorization: Bearer {token}` with that value or a valid
# session token; the same check serves `?token=` on dashboard streams.
import Api.Http
import Api.Db
import Api.Ids
import Api.Accounts
from Api.Http import ApiError
from Api.Queries.Team import session_valid

## Paths anyone may call: ingestion (API-key auth of its own), readiness, login.
fn open_path(path :: String) -> Bool do
  List.contains(["/api/v1/events", "/api/v1/events/bulk", "/api/v1/status", "/api/v1/auth/login"], path)
end

## Whether `presented` is the admin token or the token of a live session.
pub fn token_valid(admin_token :: String, presented :: String) -> Result<Bool, ApiError> do
  if presented == "" do
    Ok(false)
  else if presented == admin_token do
    Ok(true)
  else if Ids.is_session_token(presented) do
    let pool = Db.pool()?
    session_valid(pool, presented)
  else
    Ok(false)
  end
end

## Middleware enforcing the admin token on management paths.
pub fn guard(admin_token :: String) -> Fun(Request, Fun(Request) -> Response) -> Response do
  fn(request, next) do
    if open_path(Request.path(request)) do
      next(request)
    else
      let presented = Accounts.bearer(request)
      let check = Job.async(fn -> token_valid(admin_token, presented) end)
      case Job.await(check) do
        Ok(Ok(true)) -> next(request)
        Ok(Ok(false)) -> Http.error_response(401, "unauthorized")
        Ok(Err(e)) -> Http.to_response(Err(e))
        Err(reason) -> Http.to_response(Err(Internal("token check crashed: ${reason}")))
      end
    end
  end
end
