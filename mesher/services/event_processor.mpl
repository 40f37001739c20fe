# The EventProcessor (mesher.md §1.4 steps 6-9): fingerprint, discard check and issue upsert, then
# the hand-off to the project's StorageWriter (journal + buffer).
#
# Upserts are batched (group commit): events that arrive while a batch statement is running wait
# for the next one, and each batch is one atomic statement in which an issue hit by n events is
# counted n at once. Every event of one fingerprint otherwise queues on the same row lock, one
# commit each, which caps a hot issue at a few hundred events per second.
import Ingestion.Fingerprint
import Storage.Queries
import Storage.Ids
import Storage.Db
from Storage.Queries import UpsertInput, KeyProject
from Services.Writer import WriterDirectory, StorageWriter
import Storage.Journal
from Types.Event import EventPayload, EventRow, IssueUpsert, IngestError

# How long a caller waits for its batch (a database outage answers sooner, through the pool).
let upsert_wait_ms = 15000

# The answer to one event.
type ProcessReply = Result<Processed, IngestError>

# An event waiting for its batch.
struct Pending do
  project_id :: String
  fingerprint :: String
  event :: EventPayload
  reply :: Subject<ProcessReply>
end

# The answer to one API-key lookup.
type KeyReply = Result<Option<KeyProject>, String>

struct ProcessorState do
  pool :: PoolHandle
  writers :: Pid
  pending :: List<Pending>
  worker :: Pid
  flushing :: Bool
  keys_pending :: List<(String, Subject<KeyReply>)>
  key_worker :: Pid
  looking_up :: Bool
end

# A processed event: stored (its row and what the upsert reported) or dropped as discarded.
pub type Processed do
  Stored(EventRow, IssueUpsert)
  DroppedDiscarded
end

service EventProcessor do
  fn init(pool :: PoolHandle, writers :: Pid) -> ProcessorState do
    ProcessorState {
      pool: pool, writers: writers, pending: [], worker: Process.self(), flushing: false,
      keys_pending: [], key_worker: Process.self(), looking_up: false
    }
  end

  # Queues one API-key lookup (step 2); the answer arrives on `reply`. Lookups are batched like
  # upserts, and each batch reads the keys after every request in it arrived, so a revoked key
  # is refused by the very next request (§4.7).
  cast Lookup(key :: String, reply :: Subject<KeyReply>) do |s|
    start_lookup(%{s | keys_pending: List.append(s.keys_pending, (key, reply))})
  end

  cast LookupDone() do |s|
    start_lookup(%{s | looking_up: false})
  end

  # Queues one event; its outcome arrives on `reply`.
  cast Submit(project_id :: String, fingerprint :: String, event :: EventPayload, reply :: Subject<ProcessReply>) do |s|
    let item = Pending { project_id: project_id, fingerprint: fingerprint, event: event, reply: reply }
    start_batch(%{s | pending: List.append(s.pending, item)})
  end

  cast BatchDone() do |s|
    start_batch(%{s | flushing: false})
  end

  call Ping() :: Bool do |s|
    (s, true)
  end
end

# Starts a batch of everything pending unless one is running. A worker that died without
# reporting (a bug) does not stall the processor: its callers time out, the next batch starts.
fn start_batch(s :: ProcessorState) -> ProcessorState do
  let running = s.flushing and Process.is_alive(s.worker)
  if running or List.length(s.pending) == 0 do
    s
  else
    let worker = spawn(upsert_worker, Process.self(), s.pool, s.writers, s.pending)
    %{s | flushing: true, worker: worker, pending: []}
  end
end

fn start_lookup(s :: ProcessorState) -> ProcessorState do
  let running = s.looking_up and Process.is_alive(s.key_worker)
  if running or List.length(s.keys_pending) == 0 do
    s
  else
    let worker = spawn(lookup_worker, Process.self(), s.pool, s.keys_pending)
    %{s | looking_up: true, key_worker: worker, keys_pending: []}
  end
end

fn lookup_worker(processor :: Pid, pool :: PoolHandle, items :: List<(String, Subject<KeyReply>)>) do
  let keys = items |> List.map(fn((k, _)) -> k end) |> Set.from_list() |> Set.to_list()
  case Queries.projects_for_keys(pool, keys) do
    Ok(found) -> for (k, reply) in items do
      Subject.send(reply, Ok(if Map.has_key(found, k) do Some(Map.get(found, k)) else None end))
    end
    Err(e) -> for (_, reply) in items do
      Subject.send(reply, Err(e))
    end
  end
  EventProcessor.lookup_done(processor)
end


fn upsert_worker(processor :: Pid, pool :: PoolHandle, writers :: Pid, items :: List<Pending>) do
  let decided = run_batch(pool, items)
  # the next batch's statement may start while this one's events are journaled
  EventProcessor.batch_done(processor)
  for (it, up) in decided do
    case up do
      Err(e) -> Subject.send(it.reply, Err(e))
      Ok(None) -> Subject.send(it.reply, Ok(DroppedDiscarded))
      Ok(Some(_)) -> ()
    end
  end
  let stored = List.flat_map(decided, fn((it, up)) -> case up do
    Ok(Some(u)) -> [(it, row_for(it, u), u)]
    _ -> []
  end end)
  let projects = stored |> List.map(fn((it, _, _)) -> it.project_id end) |> Set.from_list() |> Set.to_list()
  for project_id in projects do
    hand_off(writers, project_id, List.filter(stored, fn((it, _, _)) -> it.project_id == project_id end))
  end
  ()
end

# One statement for the batch's distinct issues (sorted by key), then each event's issue, in
# arrival order: the first event of an issue carries is_new / is_regression, the others count on it.
fn run_batch(pool :: PoolHandle, items :: List<Pending>) -> List<(Pending, Result<Option<IssueUpsert>, IngestError>)> do
  let counts = List.reduce(items, %{}, fn(acc, it) -> do
    let k = Queries.issue_key(it.project_id, it.fingerprint)
    Map.put(acc, k, Map.get(acc, k) + 1)
  end end)
  let firsts = List.reduce(items, %{}, fn(acc, it) -> do
    let k = Queries.issue_key(it.project_id, it.fingerprint)
    if Map.has_key(acc, k) do acc else Map.put(acc, k, it) end
  end end)
  let inputs = Map.keys(firsts)
    |> List.sort(fn(a, b) -> if a < b do -1 else if a > b do 1 else 0 end end)
    |> List.map(fn k -> do
      let it = Map.get(firsts, k)
      UpsertInput { project_id: it.project_id, fingerprint: it.fingerprint, title: it.event.message, level: it.event.level, n: Map.get(counts, k) }
    end end)
  case Queries.upsert_issues(pool, inputs) do
    Ok(found) -> assign(items, found, %{}, [])
    Err(e) ->
      if Db.is_data_error(e) and List.length(inputs) > 1 do
        # one issue's data is refused: upsert each issue alone so the others still go through
        List.flat_map(inputs, fn input -> run_batch(pool, List.filter(items, fn it -> it.project_id == input.project_id and it.fingerprint == input.fingerprint end)) end)
      else
        eprintln("[Mesher] issue upsert failed: " <> e)
        List.map(items, fn it -> (it, Err(StorageUnavailable)) end)
      end
  end
end

fn assign(items :: List<Pending>, found :: Map<String, IssueUpsert>, seen :: Map<String, Bool>, acc :: List<(Pending, Result<Option<IssueUpsert>, IngestError>)>) -> List<(Pending, Result<Option<IssueUpsert>, IngestError>)> do
  case items do
    [] -> acc
    it :: rest -> do
      let k = Queries.issue_key(it.project_id, it.fingerprint)
      let up = if not Map.has_key(found, k) do
        None
      else if Map.has_key(seen, k) do
        Some(%{Map.get(found, k) | is_new: false, is_regression: false})
      else
        Some(Map.get(found, k))
      end
      assign(rest, found, Map.put(seen, k, true), List.append(acc, (it, Ok(up))))
    end
  end
end

fn row_for(it :: Pending, upsert :: IssueUpsert) -> EventRow do
  let event = it.event
  EventRow {
    id: Ids.uuid_v7(),
    received_at: DateTime.utc_now(),
    project_id: it.project_id,
    issue_id: upsert.issue_id,
    fingerprint: it.fingerprint,
    level: event.level,
    message: event.message,
    exception: event.exception_json,
    stacktrace: event.stacktrace_json,
    breadcrumbs: event.breadcrumbs_json,
    tags: event.tags_json,
    extra: event.extra_json,
    user_context: event.user_context_json,
    sdk_name: event.sdk_name,
    sdk_version: event.sdk_version
  }
end

# Step 9 for one project's stored events: room in the project's writer, the journal (group
# commit: on the disk before any acknowledgement), then the writer's buffer. Events past the
# writer's capacity are refused as full.
fn hand_off(writers :: Pid, project_id :: String, stored :: List<(Pending, EventRow, IssueUpsert)>) -> () do
  let writer = WriterDirectory.get_writer(writers, project_id)
  let k = StorageWriter.reserve(writer, List.length(stored))
  let taken = List.take(stored, k)
  let rows = List.map(taken, fn((_, row, _)) -> row end)
  let journaled = if k == 0 do
    Ok(())
  else
    Journal.write_durably(WriterDirectory.journal(writers), List.map(rows, fn r -> Json.encode(r) end))
  end
  case journaled do
    Ok(_) -> if k > 0 do
      StorageWriter.add(writer, rows)
    end
    Err(e) -> do
      eprintln("[Mesher] journal append failed: " <> e)
      StorageWriter.release(writer, k)
    end
  end
  for (i, (it, row, upsert)) in List.enumerate(stored) do
    let reply = if i >= k do
      Err(BufferFull)
    else
      case journaled do
        Ok(_) -> Ok(Stored(row, upsert))
        Err(_) -> Err(StorageUnavailable)
      end
    end
    Subject.send(it.reply, reply)
  end
  ()
end

# Step 2 for one request, in the caller's process: the project behind an active key.
pub fn lookup_key(processor :: Pid, key :: String) -> Result<Option<KeyProject>, String> do
  let reply = Subject.new()
  EventProcessor.lookup(processor, key, reply)
  case Subject.await(reply, upsert_wait_ms) do
    Ok(r) -> r
    Err(_) -> Err("key lookup timed out")
  end
end

# Steps 6-9 for one event: the fingerprint in the caller's process, then the batch.
pub fn process_event(processor :: Pid, project_id :: String, event :: EventPayload) -> Result<Processed, IngestError> do
  let reply = Subject.new()
  EventProcessor.submit(processor, project_id, Fingerprint.fingerprint(event), event, reply)
  case Subject.await(reply, upsert_wait_ms) do
    Ok(r) -> r
    Err(_) -> do
      eprintln("[Mesher] event processing timed out")
      Err(StorageUnavailable)
    end
  end
end
