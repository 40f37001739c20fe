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
from Types.Event import EventPayload, EventRow, IssueUpsert, IngestError, EnqueueError

# How long a caller waits for its batch (a database outage answers sooner, through the pool).
let upsert_wait_ms = 15000

# The answer to one event: its issue (None when the issue is discarded), or why there is none.
type UpsertReply = Result<Option<IssueUpsert>, IngestError>

# An event waiting for its batch.
struct Pending do
  project_id :: String
  fingerprint :: String
  title :: String
  level :: String
  reply :: Subject<UpsertReply>
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
    start_lookup(%{s | keys_pending: [(key, reply)] ++ s.keys_pending})
  end

  cast LookupDone() do |s|
    start_lookup(%{s | looking_up: false})
  end

  # Queues one event's upsert (newest first); the answer arrives on `reply`.
  cast Submit(project_id :: String, fingerprint :: String, title :: String, level :: String, reply :: Subject<UpsertReply>) do |s|
    let item = Pending { project_id: project_id, fingerprint: fingerprint, title: title, level: level, reply: reply }
    start_batch(%{s | pending: [item] ++ s.pending})
  end

  cast BatchDone() do |s|
    start_batch(%{s | flushing: false})
  end

  call GetWriters() :: Pid do |s|
    (s, s.writers)
  end

  call Ping() :: Bool do |s|
    (s, true)
  end
end

# Starts a batch of everything pending unless one is running. A worker that died without
# reporting (a bug) does not stall the processor: its callers time out, the next batch starts.
fn start_batch(s :: ProcessorState) -> ProcessorState do
  let running = s.flushing and Process.is_alive(s.worker)
  let idle = case s.pending do
    [] -> true
    _ -> false
  end
  if running or idle do
    s
  else
    let worker = spawn(upsert_worker, Process.self(), s.pool, List.reverse(s.pending))
    %{s | flushing: true, worker: worker, pending: []}
  end
end

fn start_lookup(s :: ProcessorState) -> ProcessorState do
  let running = s.looking_up and Process.is_alive(s.key_worker)
  let idle = case s.keys_pending do
    [] -> true
    _ -> false
  end
  if running or idle do
    s
  else
    let worker = spawn(lookup_worker, Process.self(), s.pool, List.reverse(s.keys_pending))
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

# Step 2 for one request, in the caller's process: the project behind an active key.
pub fn lookup_key(processor :: Pid, key :: String) -> Result<Option<KeyProject>, String> do
  let reply = Subject.new()
  EventProcessor.lookup(processor, key, reply)
  case Subject.await(reply, upsert_wait_ms) do
    Ok(r) -> r
    Err(_) -> Err("key lookup timed out")
  end
end

fn upsert_worker(processor :: Pid, pool :: PoolHandle, items :: List<Pending>) do
  run_batch(pool, items)
  EventProcessor.batch_done(processor)
end

# One statement for the batch's distinct issues (sorted by key), then every caller is answered:
# the first event of an issue carries is_new / is_regression, the others count on it.
fn run_batch(pool :: PoolHandle, items :: List<Pending>) -> () do
  let counts = List.reduce(items, %{}, fn(acc, it) -> do
    let k = Queries.issue_key(it.project_id, it.fingerprint)
    Map.put(acc, k, Map.get(acc, k) + 1)
  end end)
  let firsts = List.reduce(List.reverse(items), %{}, fn(acc, it) -> Map.put(acc, Queries.issue_key(it.project_id, it.fingerprint), it) end)
  let inputs = Map.keys(firsts)
    |> List.sort(fn(a, b) -> if a < b do -1 else if a > b do 1 else 0 end end)
    |> List.map(fn k -> do
      let it = Map.get(firsts, k)
      UpsertInput { project_id: it.project_id, fingerprint: it.fingerprint, title: it.title, level: it.level, n: Map.get(counts, k) }
    end end)
  case Queries.upsert_issues(pool, inputs) do
    Ok(found) -> answer(items, found, %{})
    Err(e) ->
      if Db.is_data_error(e) and List.length(inputs) > 1 do
        # one issue's data is refused: upsert each issue alone so the others still go through
        for input in inputs do
          let group = List.filter(items, fn it -> it.project_id == input.project_id and it.fingerprint == input.fingerprint end)
          run_batch(pool, group)
        end
        ()
      else
        eprintln("[Mesher] issue upsert failed: " <> e)
        for it in items do
          Subject.send(it.reply, Err(StorageUnavailable))
        end
        ()
      end
  end
end

fn answer(items :: List<Pending>, found :: Map<String, IssueUpsert>, seen :: Map<String, Bool>) -> () do
  case items do
    [] -> ()
    it :: rest -> do
      let k = Queries.issue_key(it.project_id, it.fingerprint)
      if Map.has_key(found, k) do
        let u = Map.get(found, k)
        let reply = if Map.has_key(seen, k) do %{u | is_new: false, is_regression: false} else u end
        Subject.send(it.reply, Ok(Some(reply)))
      else
        Subject.send(it.reply, Ok(None))
      end
      answer(rest, found, Map.put(seen, k, true))
    end
  end
end

# Steps 6-9 for one event, in the caller's process: fingerprint, the batched upsert, then the
# journal and buffer of the project's writer.
pub fn process_event(processor :: Pid, project_id :: String, event :: EventPayload) -> Result<Processed, IngestError> do
  let fp = Fingerprint.fingerprint(event)
  let reply = Subject.new()
  EventProcessor.submit(processor, project_id, fp, event.message, event.level, reply)
  let upserted = case Subject.await(reply, upsert_wait_ms) do
    Ok(r) -> r
    Err(_) -> do
      eprintln("[Mesher] issue upsert timed out")
      Err(StorageUnavailable)
    end
  end
  case upserted? do
    None -> Ok(DroppedDiscarded)
    Some(upsert) -> hand_off(EventProcessor.get_writers(processor), project_id, fp, event, upsert)
  end
end

fn hand_off(writers :: Pid, project_id :: String, fp :: String, event :: EventPayload, upsert :: IssueUpsert) -> Result<Processed, IngestError> do
  let row = EventRow {
    id: Ids.uuid_v7(),
    received_at: DateTime.utc_now(),
    project_id: project_id,
    issue_id: upsert.issue_id,
    fingerprint: fp,
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
  let writer = WriterDirectory.get_writer(writers, project_id)
  case StorageWriter.enqueue(writer, row) do
    Ok(_) -> Ok(Stored(row, upsert))
    Err(Full) -> Err(BufferFull)
    Err(JournalFailed(e)) -> do
      eprintln("[Mesher] journal append failed: " <> e)
      Err(StorageUnavailable)
    end
  end
end
