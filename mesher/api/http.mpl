# HTTP plumbing shared by the management endpoints: the error type every handler returns (with a
# From<String> impl so `?` on a database Result becomes a logged 500), JSON responses, body
# decoding with typed field access, and validation of path ids, `limit` and query parameters.
import Api.Ids

pub type ApiError do
  BadRequest(String)
  NotFound(String)
  Conflict(String)
  Unauthorized(String)
  Internal(String)
end

impl From<String> for ApiError do
  fn from(detail :: String) -> ApiError do
    Internal(detail)
  end
end

pub type Reply = Result<Response, ApiError>

struct ErrorBody do
  error :: String
end deriving(Json)

struct StatusOk do
  status :: String
end deriving(Json)

struct Affected do
  status :: String
  affected :: Int
end deriving(Json)

struct Created do
  id :: String
end deriving(Json)

## Largest management request body (the ingestion limit of §4.2.2).
let max_body = 1048576

pub fn error_response(status :: Int, text :: String) -> Response do
  HTTP.response(status, Json.encode(ErrorBody { error: text }))
end

pub fn to_response(reply :: Reply) -> Response do
  case reply do
    Ok(response) -> response
    Err(BadRequest(text)) -> error_response(400, text)
    Err(NotFound(text)) -> error_response(404, text)
    Err(Conflict(text)) -> error_response(409, text)
    Err(Unauthorized(text)) -> error_response(401, text)
    Err(Internal(detail)) -> do
      eprintln("[Mesher] API internal error: ${detail}")
      error_response(500, "internal error")
    end
  end
end

## Turns a handler that may fail into a router handler. The handler runs as a job, so even a
## crash inside it (a service call that times out, say) is answered with the JSON 500 of §4.1.
pub fn handle(f :: Fun(Request) -> Reply) -> Fun(Request) -> Response do
  fn(request) do
    let job = Job.async(fn -> to_response(f(request)) end)
    case Job.await(job) do
      Ok(response) -> response
      Err(reason) -> do
        eprintln("[Mesher] API handler crashed: ${reason}")
        error_response(500, "internal error")
      end
    end
  end
end

pub fn ok_body(body :: String) -> Reply = Ok(HTTP.response(200, body))

pub fn ok_status() -> Reply = Ok(HTTP.response(200, Json.encode(StatusOk { status: "ok" })))

pub fn affected(n :: Int) -> Reply = Ok(HTTP.response(200, Json.encode(Affected { status: "ok", affected: n })))

pub fn created(id :: String) -> Reply = Ok(HTTP.response(201, Json.encode(Created { id: id })))

# ---- path and query -----------------------------------------------------------------------

## The path parameter `name`, which must be a UUID (400 `invalid {name}` otherwise).
pub fn uuid_param(request :: Request, name :: String) -> Result<String, ApiError> do
  case Request.param(request, name) do
    Some(v) when Ids.is_uuid(v) -> Ok(String.to_lower(v))
    _ -> Err(BadRequest("invalid ${name}"))
  end
end

## A query parameter, "" when absent.
pub fn query(request :: Request, name :: String) -> String do
  case Request.query(request, name) do
    Some(v) -> v
    None -> ""
  end
end

## A query parameter that reaches SQL as text: PostgreSQL text cannot hold NUL, so a value
## with one is a 400 `invalid {name}` rather than a database error.
pub fn text_query(request :: Request, name :: String) -> Result<String, ApiError> do
  let v = query(request, name)
  if String.contains(v, "\0") do Err(BadRequest("invalid ${name}")) else Ok(v) end
end

## `limit`: an integer in 1..100, anything else gives the endpoint's default (§4.1).
pub fn limit(request :: Request, default_limit :: Int) -> Int do
  case String.to_int(query(request, "limit")) do
    Some(n) when n >= 1 and n <= 100 -> n
    _ -> default_limit
  end
end

# ---- bodies -------------------------------------------------------------------------------

## The request body as a JSON object. An empty body is `{}`; invalid JSON (including bodies that
## were not valid UTF-8) gives 400 `invalid json`; another JSON value gives 400.
pub fn body_object(request :: Request) -> Result<Json, ApiError> do
  let text = Request.body(request)
  if String.length(text) > max_body do
    return Err(BadRequest("payload too large"))
  end
  if String.contains(text, "�") do
    return Err(BadRequest("invalid json"))
  end
  let source = if String.trim(text) == "" do "{}" else text end
  case Json.parse(source) do
    Ok(value) -> if Json.kind(value) == "object" do
      Ok(value)
    else
      Err(BadRequest("body must be a JSON object"))
    end
    Err(_) -> Err(BadRequest("invalid json"))
  end
end

## Member `name`: absent or null gives None.
pub fn member(body :: Json, name :: String) -> Option<Json> do
  case Json.field(body, name) do
    Some(v) when Json.kind(v) != "null" -> Some(v)
    _ -> None
  end
end

fn invalid(name :: String) -> ApiError = BadRequest("invalid field: ${name}")

pub fn opt_string(body :: Json, name :: String) -> Result<Option<String>, ApiError> do
  case member(body, name) do
    None -> Ok(None)
    Some(v) -> case Json.as_string(v) do
      Some(s) when not String.contains(s, "\0") -> Ok(Some(s))
      _ -> Err(invalid(name))
    end
  end
end

## A required non-empty string member: 400 `{name} is required` when absent or empty.
pub fn required_string(body :: Json, name :: String) -> Result<String, ApiError> do
  case opt_string(body, name)? do
    Some(s) when s != "" -> Ok(s)
    _ -> Err(BadRequest("${name} is required"))
  end
end

## An integer member (a JSON number without fraction or exponent).
pub fn opt_int(body :: Json, name :: String) -> Result<Option<Int>, ApiError> do
  case member(body, name) do
    None -> Ok(None)
    Some(v) -> if Json.kind(v) == "int" do
      Ok(Json.as_int(v))
    else
      Err(invalid(name))
    end
  end
end

pub fn opt_number(body :: Json, name :: String) -> Result<Option<Float>, ApiError> do
  case member(body, name) do
    None -> Ok(None)
    Some(v) -> case Json.as_float(v) do
      Some(f) -> Ok(Some(f))
      None -> Err(invalid(name))
    end
  end
end

pub fn opt_bool(body :: Json, name :: String) -> Result<Option<Bool>, ApiError> do
  case member(body, name) do
    None -> Ok(None)
    Some(v) -> case Json.as_bool(v) do
      Some(b) -> Ok(Some(b))
      None -> Err(invalid(name))
    end
  end
end

