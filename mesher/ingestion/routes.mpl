# Ingestion over HTTP and WebSocket (mesher.md §1.4, §4.2, §5.2): POST /api/v1/events,
# POST /api/v1/events/bulk, the WS /ingest frame handler, and GET /api/v1/status. Checks run in the
# order of §4.2.2 and the first failure wins.
import Ingestion.Validation
import Storage.Queries
import Services.Alerts
from Ingestion.Pipeline import PipelineRegistry, IngestContext, registry
from Services.RateLimiter import RateLimiter
from Services.EventProcessor import Processed, process_event, lookup_key
from Services.Writer import totals, WriterStats
from Services.StreamManager import notify_event, notify_issue_count, notify_issue, client_count
from Storage.Queries import KeyProject
from Types.Config import Config
from Types.Event import EventPayload, EventRow, IssueUpsert, IngestError

let max_event_bytes = 1048576
let max_bulk_bytes = 5242880
let max_bulk_events = 100

# ---- replies ---------------------------------------------------------------------------------

struct ErrorBody do
  error :: String
end deriving(Json)

struct AcceptedBody do
  status :: String
  event_id :: String
  issue_id :: String
end deriving(Json)

struct SampledBody do
  status :: String
  sampled :: Bool
end deriving(Json)

struct DiscardedBody do
  status :: String
  discarded :: Bool
end deriving(Json)

# One element's result in a bulk reply; absent members are left out of the JSON.
struct BulkResult do
  event_id :: Option<String>
  issue_id :: Option<String>
  discarded :: Option<Bool>
  sampled :: Option<Bool>
end

# The JSON of one bulk result: {"event_id","issue_id"}, {"discarded":true} or {"sampled":false}.
fn result_json(r :: BulkResult) -> String do
  case (r.event_id, r.issue_id, r.discarded) do
    (Some(e), Some(i), _) -> Json.encode(%{"event_id" => e, "issue_id" => i})
    (_, _, Some(_)) -> Json.encode(DiscardedOnly { discarded: true })
    _ -> Json.encode(SampledOnly { sampled: false })
  end
end

# {"results":[...],"status":"accepted"}: the element texts come from the serializer above, so the
# array is spliced from encoded JSON only (keys in sorted order, as every encoder here emits them).
fn bulk_json(results :: List<BulkResult>) -> String do
  let items = results |> List.map(result_json) |> String.join(",")
  "{\"results\":[" <> items <> "],\"status\":\"accepted\"}"
end

struct DiscardedOnly do
  discarded :: Bool
end deriving(Json)

struct SampledOnly do
  sampled :: Bool
end deriving(Json)

fn error_json(text :: String) -> String do
  Json.encode(ErrorBody { error: text })
end

# The HTTP status, body and extra headers of a refusal (§4.2.2).
fn refusal(e :: IngestError) -> (Int, String, Map<String, String>) do
  case e do
    ShuttingDown -> (503, error_json("shutting down"), %{})
    Unauthorized -> (401, error_json("unauthorized"), %{})
    BadRequest(text) -> (400, error_json(text), %{})
    RateLimited(window) -> (429, error_json("rate limited"), %{"Retry-After" => "${window}"})
    StorageUnavailable -> (503, error_json("storage unavailable"), %{"Retry-After" => "5"})
    BufferFull -> (503, error_json("ingestion buffer full"), %{"Retry-After" => "5"})
  end
end

fn to_response(reply :: Result<String, IngestError>) -> Response do
  case reply do
    Ok(body) -> HTTP.response(202, body)
    Err(e) -> do
      let (status, body, headers) = refusal(e)
      HTTP.response_with_headers(status, body, headers)
    end
  end
end

# ---- the shared steps --------------------------------------------------------------------------

# The API key of §4.2.1: X-Sentry-Auth wins whenever present; else Authorization, with an optional
# "Bearer " prefix. Header names are lowercase (as the WS server passes them).
pub fn key_from_headers(headers :: Map<String, String>) -> Option<String> do
  if Map.has_key(headers, "x-sentry-auth") do
    Some(String.trim(Map.get(headers, "x-sentry-auth")))
  else if Map.has_key(headers, "authorization") do
    Some(strip_bearer(Map.get(headers, "authorization")))
  else
    None
  end
end

fn strip_bearer(value :: String) -> String do
  let v = String.trim(value)
  if String.starts_with(v, "Bearer ") do String.trim(String.slice(v, 7, String.length(v))) else v end
end

fn request_key(request :: Request) -> Option<String> do
  case Request.header(request, "x-sentry-auth") do
    Some(k) -> Some(k)
    None -> case Request.header(request, "authorization") do
      Some(v) -> Some(strip_bearer(v))
      None -> None
    end
  end
end

# Body size in bytes: Content-Length when sent, else the decoded length (a lower bound).
fn body_size(request :: Request, body :: String) -> Int do
  let declared = case Request.header(request, "content-length") do
    Some(v) -> case String.to_int(v) do
      Some(n) -> n
      None -> 0
    end
    None -> 0
  end
  Math.max(declared, String.length(body))
end

pub fn authenticate(pool :: PoolHandle, key :: String) -> Option<String> do
  case Queries.project_for_key(pool, key) do
    Ok(Some(p)) -> Some(p.project_id)
    _ -> None
  end
end

fn auth(ctx :: IngestContext, key :: Option<String>) -> Result<KeyProject, IngestError> do
  case key do
    None -> Err(Unauthorized)
    Some("") -> Err(Unauthorized)
    Some(k) -> case lookup_key(ctx.processor, k) do
      Ok(Some(project)) -> Ok(project)
      Ok(None) -> Err(Unauthorized)
      Err(e) -> do
        eprintln("[Mesher] key lookup failed: " <> e)
        Err(StorageUnavailable)
      end
    end
  end
end

# Steps 1-2: shutdown, then the key.
fn admit(ctx :: IngestContext, key :: Option<String>) -> Result<KeyProject, IngestError> do
  if ctx.shutting_down do Err(ShuttingDown) else auth(ctx, key) end
end

# Uniform draw in [0, 1) against the project's sample rate (§6.3).
fn kept(sample_rate :: Float) -> Bool do
  Int.to_float(Random.int(0, 999999)) / 1000000.0 < sample_rate
end

fn bad_request(r :: Result<EventPayload, String>) -> Result<EventPayload, IngestError> do
  case r do
    Ok(e) -> Ok(e)
    Err(text) -> Err(BadRequest(text))
  end
end

# Steps 6-9 through the EventProcessor, then (without delaying the reply) step 11's broadcasts and
# the event-based alert rules. Returns the element's outcome as a bulk result.
fn process_kept(ctx :: IngestContext, project_id :: String, event :: EventPayload) -> Result<BulkResult, IngestError> do
  let processed = process_event(ctx.processor, project_id, event)?
  case processed do
    DroppedDiscarded -> Ok(BulkResult { event_id: None, issue_id: None, discarded: Some(true), sampled: None })
    Stored(row, upsert) -> do
      let pool = ctx.pool
      # a process only when there is something to tell (most events of a known issue, on a node
      # nobody watches, have nothing)
      if upsert.is_new or upsert.is_regression or client_count() > 0 or List.length(Node.list()) > 0 do
        let _ = spawn(fn -> after_stored(pool, project_id, row, upsert, event) end)
      end
      Ok(BulkResult { event_id: Some(row.id), issue_id: Some(upsert.issue_id), discarded: None, sampled: None })
    end
  end
end

# Broadcast order of §1.4 step 11: event, issue_count, regressed, then alerts.
# The live messages are skipped only when nobody could receive them (no dashboard on this node and
# no peer to forward to), which spares the unresolved-count query per event.
fn after_stored(pool :: PoolHandle, project_id :: String, row :: EventRow, upsert :: IssueUpsert, event :: EventPayload) -> () do
  if client_count() > 0 or List.length(Node.list()) > 0 do
    notify_event(project_id, upsert.issue_id, row.id, row.level, event.environment, event.data)
    case Queries.count_unresolved(pool, project_id) do
      Ok(n) -> notify_issue_count(project_id, n)
      Err(_) -> ()
    end
    if upsert.is_regression do
      notify_issue(project_id, "regressed", upsert.issue_id)
    end
  end
  if upsert.is_new do
    let _ = Alerts.fire_event_rules(pool, project_id, upsert.issue_id, "new_issue")
  end
  if upsert.is_regression do
    let _ = Alerts.fire_event_rules(pool, project_id, upsert.issue_id, "regression")
  end
end

# One event (HTTP body or WS frame) through steps 1-11; Ok is the 202 body.
fn ingest_one(ctx :: IngestContext, key :: Option<String>, size :: Int, body :: String) -> Result<String, IngestError> do
  let project = admit(ctx, key)?
  if size > max_event_bytes do
    return Err(BadRequest("payload too large"))
  end
  let event = bad_request(Validation.parse_event(body))?
  if not kept(project.sample_rate) do
    return Ok(Json.encode(SampledBody { status: "accepted", sampled: false }))
  end
  if not RateLimiter.check(ctx.rate_limiter, project.project_id, 1) do
    return Err(RateLimited(ctx.config.rate_limit_window_s))
  end
  let result = process_kept(ctx, project.project_id, event)?
  case (result.event_id, result.issue_id) do
    (Some(e), Some(i)) -> Ok(Json.encode(AcceptedBody { status: "accepted", event_id: e, issue_id: i }))
    _ -> Ok(Json.encode(DiscardedBody { status: "accepted", discarded: true }))
  end
end

# Validates every element first (§4.2.4): the first invalid one rejects the whole request.
fn validate_all(items :: List<Json>) -> Result<List<EventPayload>, IngestError> do
  let checked = List.enumerate(items) |> List.map(fn((i, item)) ->
    case Validation.validate(item) do
      Ok(e) -> Ok(e)
      Err(text) -> Err("event[${i}]: ${text}")
    end
  end)
  case List.find(checked, fn r -> case r do
    Err(_) -> true
    Ok(_) -> false
  end end) do
    Some(Err(text)) -> Err(BadRequest(text))
    _ -> Ok(List.flat_map(checked, fn r -> case r do
      Ok(e) -> [e]
      Err(_) -> []
    end end))
  end
end

fn bulk_items(body :: String) -> Result<List<Json>, IngestError> do
  let text = if String.trim(body) == "" do "{}" else body end
  # U+FFFD marks invalid UTF-8 in the decoded body (as in Validation.parse_event)
  if String.contains(text, "�") do
    return Err(BadRequest("invalid json"))
  end
  case Json.parse(text) do
    Err(_) -> Err(BadRequest("invalid json"))
    Ok(j) ->
      if Json.kind(j) != "array" do
        Err(BadRequest("bulk body must be a JSON array"))
      else if List.length(Json.items(j)) == 0 do
        Err(BadRequest("empty bulk request"))
      else if List.length(Json.items(j)) > max_bulk_events do
        Err(BadRequest("too many events in bulk request (max 100)"))
      else
        Ok(Json.items(j))
      end
  end
end

# The bulk request (§4.2.4): per-element sampling, one rate-limit check for all kept elements, then
# each kept element exactly like a single event.
fn ingest_bulk(ctx :: IngestContext, key :: Option<String>, size :: Int, body :: String) -> Result<String, IngestError> do
  let project = admit(ctx, key)?
  if size > max_bulk_bytes do
    return Err(BadRequest("payload too large"))
  end
  let items = bulk_items(body)?
  let events = validate_all(items)?
  let decisions = List.map(events, fn e -> (e, kept(project.sample_rate)) end)
  let k = decisions |> List.filter(fn((_, keep)) -> keep end) |> List.length()
  if k > 0 and not RateLimiter.check(ctx.rate_limiter, project.project_id, k) do
    return Err(RateLimited(ctx.config.rate_limit_window_s))
  end
  let results = process_all(ctx, project.project_id, decisions, [])?
  Ok(bulk_json(results))
end

fn process_all(ctx :: IngestContext, project_id :: String, decisions :: List<(EventPayload, Bool)>, acc :: List<BulkResult>) -> Result<List<BulkResult>, IngestError> do
  case decisions do
    [] -> Ok(acc)
    (event, keep) :: rest -> do
      let result = if keep do
        process_kept(ctx, project_id, event)?
      else
        BulkResult { event_id: None, issue_id: None, discarded: None, sampled: Some(false) }
      end
      process_all(ctx, project_id, rest, List.append(acc, result))
    end
  end
end

# ---- HTTP handlers -----------------------------------------------------------------------------

# POST /api/v1/events
pub fn handle_event(request :: Request) -> Response do
  let reg_pid = registry()
  let _ = PipelineRegistry.increment_event_count(reg_pid)
  let ctx = PipelineRegistry.get_context(reg_pid)
  let body = Request.body(request)
  to_response(ingest_one(ctx, request_key(request), body_size(request, body), body))
end

# POST /api/v1/events/bulk (the load counter counts the request once, §7.3)
pub fn handle_bulk(request :: Request) -> Response do
  let reg_pid = registry()
  let _ = PipelineRegistry.increment_event_count(reg_pid)
  let ctx = PipelineRegistry.get_context(reg_pid)
  let body = Request.body(request)
  to_response(ingest_bulk(ctx, request_key(request), body_size(request, body), body))
end

# One WS /ingest frame (§5.2): the same pipeline, +1 on the load counter per frame; the reply frame
# uses the HTTP body shapes.
pub fn ingest_frame(reg_pid :: Pid, key :: String, text :: String) -> String do
  let _ = PipelineRegistry.increment_event_count(reg_pid)
  let ctx = PipelineRegistry.get_context(reg_pid)
  case ingest_one(ctx, Some(key), String.length(text), text) do
    Ok(body) -> body
    Err(e) -> do
      let (_, body, _) = refusal(e)
      body
    end
  end
end

# ---- status ------------------------------------------------------------------------------------

struct StatusBody do
  status :: String
  node :: Option<String>
  mode :: String
  peers :: List<String>
  database :: String
  writer :: WriterStats
  stream_clients :: Int
  remote_workers_started :: Int
  load_window_count :: Int
end deriving(Json)

# GET /api/v1/status (§4.10): readiness and diagnostics of this node.
pub fn handle_status(request :: Request) -> Response do
  let reg_pid = registry()
  let config = PipelineRegistry.get_config(reg_pid)
  let node = Node.self()
  let body = StatusBody {
    status: "ok",
    node: if node == "" do None else Some(node) end,
    mode: if node == "" do "standalone" else "cluster" end,
    peers: Node.list(),
    database: if config.embedded do "embedded" else "postgres" end,
    writer: totals(PipelineRegistry.get_writer_pid(reg_pid)),
    stream_clients: client_count(),
    remote_workers_started: PipelineRegistry.remote_workers_started(reg_pid),
    load_window_count: PipelineRegistry.get_event_count(reg_pid)
  }
  HTTP.response(200, Json.encode(body))
end

# Adds the ingestion and status routes to a router.
pub fn add_ingest_routes(r :: Router) -> Router do
  r
    |> HTTP.on_post("/api/v1/events", handle_event)
    |> HTTP.on_post("/api/v1/events/bulk", handle_bulk)
    |> HTTP.on_get("/api/v1/status", handle_status)
end
