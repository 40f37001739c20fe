# StorageWriter (mesher.md §6.4): one per project, created lazily by the WriterDirectory. It
# reserves room for accepted events (refusing, never evicting, when full), buffers them once the
# EventProcessor has journaled them, marks them committed in the journal, and flushes batches in a
# separate worker process so a slow or unreachable database never blocks acceptance. The worker
# retries per §6.4.3: 100 ms, 500 ms, then exponential backoff up to 30 s for transient errors,
# row-by-row isolation for data errors, and on-demand partitions.
import Storage.Queries
import Storage.Partitions
import Storage.Db
from Storage.Journal import Journal
from Types.Event import EventRow

pub struct WriterStats do
  buffered :: Int
  journal_pending :: Int
  flushed_total :: Int
  flush_failures_total :: Int
  rejected_buffer_full_total :: Int
  dropped_total :: Int
end deriving(Json)

struct WriterState do
  project_id :: String
  pool :: PoolHandle
  journal :: Pid
  buffer :: List<EventRow>
  in_flight :: Int
  reserved :: Int
  flushing :: Bool
  batch_size :: Int
  max_buffer :: Int
  last_full_log_ms :: Int
  flushed :: Int
  failures :: Int
  rejected :: Int
  dropped :: Int
end

service StorageWriter do
  fn init(project_id :: String, pool :: PoolHandle, journal :: Pid, batch_size :: Int, max_buffer :: Int) -> WriterState do
    WriterState {
      project_id: project_id, pool: pool, journal: journal, buffer: [], in_flight: 0, reserved: 0,
      flushing: false, batch_size: batch_size, max_buffer: max_buffer, last_full_log_ms: 0,
      flushed: 0, failures: 0, rejected: 0, dropped: 0
    }
  end

  # Reserves room for up to `n` events and returns how many fit; the caller journals that many,
  # then adds them (or releases the room). Capacity counts accepted-but-uncommitted events: the
  # reserved ones, the buffer and the batch in flight (§6.4.2).
  call Reserve(n :: Int) :: Int do |s|
    let held = List.length(s.buffer) + s.in_flight + s.reserved
    let k = Math.min(n, Math.max(0, s.max_buffer - held))
    let s1 = if k < n do note_full(s, held, n - k) else s end
    (%{s1 | reserved: s1.reserved + k}, k)
  end

  # Journaled events join the buffer (they were reserved).
  cast Add(rows :: List<EventRow>) do |s|
    let s2 = %{s | buffer: List.concat(s.buffer, rows), reserved: Math.max(0, s.reserved - List.length(rows))}
    if List.length(s2.buffer) >= s.batch_size do start_flush(s2) else s2 end
  end

  # Room reserved for events that could not be journaled.
  cast Release(k :: Int) do |s|
    %{s | reserved: Math.max(0, s.reserved - k)}
  end

  # Timer flush and explicit flush (shutdown): flush whatever is buffered.
  cast Tick() do |s|
    start_flush(s)
  end

  cast FlushDone(ids :: List<String>, dropped :: Int) do |s|
    let _ = Journal.commit(s.journal, ids)
    let done = %{s | flushing: false, in_flight: 0, flushed: s.flushed + List.length(ids) - dropped, dropped: s.dropped + dropped}
    if List.length(done.buffer) >= done.batch_size do start_flush(done) else done end
  end

  cast FlushFailed() do |s|
    %{s | failures: s.failures + 1}
  end

  call Stats() :: WriterStats do |s|
    (s, WriterStats {
      buffered: List.length(s.buffer) + s.in_flight,
      journal_pending: 0,
      flushed_total: s.flushed,
      flush_failures_total: s.failures,
      rejected_buffer_full_total: s.rejected,
      dropped_total: s.dropped
    })
  end
end

# Counts refused events and logs the buffer-full line at most once per 10 s (§6.4.2).
fn note_full(s :: WriterState, held :: Int, refused :: Int) -> WriterState do
  let now = Time.monotonic_ms()
  let logged = if s.last_full_log_ms == 0 or now - s.last_full_log_ms >= 10000 do
    println("[StorageWriter] Buffer full for project ${s.project_id} (${held} events) -- rejecting new events")
    now
  else
    s.last_full_log_ms
  end
  %{s | rejected: s.rejected + refused, last_full_log_ms: logged}
end

# Hands the whole buffer to a flush worker unless one is already running (one flush at a time).
fn start_flush(s :: WriterState) -> WriterState do
  if s.flushing or List.length(s.buffer) == 0 do
    s
  else
    let _ = spawn(flush_worker, Process.self(), s.pool, s.project_id, s.buffer)
    %{s | flushing: true, in_flight: List.length(s.buffer), buffer: []}
  end
end

fn flush_worker(writer :: Pid, pool :: PoolHandle, project_id :: String, rows :: List<EventRow>) do
  let dropped = write_batch(writer, pool, project_id, rows, 1)
  StorageWriter.flush_done(writer, List.map(rows, fn r -> r.id end), dropped)
end

# Returns the number of rows that had to be dropped (data errors only).
fn write_batch(writer :: Pid, pool :: PoolHandle, project_id :: String, rows :: List<EventRow>, attempt :: Int) -> Int do
  case Queries.insert_events(pool, rows) do
    Ok(_) -> 0
    Err(e) -> do
      if Db.is_missing_partition(e) do
        case ensure_days(pool, rows) do
          Ok(_) -> write_batch(writer, pool, project_id, rows, attempt)
          Err(e2) -> retry_later(writer, pool, project_id, rows, attempt, e2)
        end
      else if Db.is_data_error(e) and attempt >= 3 do
        isolate(pool, project_id, rows)
      else
        retry_later(writer, pool, project_id, rows, attempt, e)
      end
    end
  end
end

fn ensure_days(pool :: PoolHandle, rows :: List<EventRow>) -> Result<(), String> do
  let days = rows |> List.map(fn r -> String.slice(r.received_at, 0, 10) end) |> Set.from_list() |> Set.to_list()
  for day in days do
    Partitions.ensure_for(pool, day <> "T12:00:00Z")?
  end
  Ok(())
end

# 1 s, 2 s, 4 s ... capped at 30 s for the retries after the first three attempts.
fn backoff_ms(attempt :: Int) -> Int do
  if attempt >= 8 do 30000 else Math.min(30000, 1000 * pow2(attempt - 3)) end
end

fn pow2(n :: Int) -> Int do
  if n <= 0 do 1 else 2 * pow2(n - 1) end
end

fn retry_later(writer :: Pid, pool :: PoolHandle, project_id :: String, rows :: List<EventRow>, attempt :: Int, e :: String) -> Int do
  if attempt == 1 do
    Timer.sleep(100)
    write_batch(writer, pool, project_id, rows, 2)
  else if attempt == 2 do
    Timer.sleep(500)
    write_batch(writer, pool, project_id, rows, 3)
  else
    let delay = backoff_ms(attempt)
    println("[StorageWriter] Flush failed for project ${project_id} (${List.length(rows)} events), retrying in ${delay}ms: ${Db.message(e)}")
    StorageWriter.flush_failed(writer)
    Timer.sleep(delay)
    write_batch(writer, pool, project_id, rows, attempt + 1)
  end
end

# Data error: insert row by row; rows the database still rejects are dropped and logged.
fn isolate(pool :: PoolHandle, project_id :: String, rows :: List<EventRow>) -> Int do
  let dropped = rows |> List.filter(fn row -> not insert_single(pool, row, 0) end) |> List.length()
  if dropped > 0 do
    println("[StorageWriter] Dropping batch of ${dropped} events for project ${project_id} after 3 retries")
  end
  dropped
end

# True when stored; false when the row itself is rejected. Transient errors are retried.
fn insert_single(pool :: PoolHandle, row :: EventRow, tries :: Int) -> Bool do
  case Queries.insert_events(pool, [row]) do
    Ok(_) -> true
    Err(e) -> do
      if Db.is_data_error(e) do
        eprintln("[StorageWriter] row ${row.id} rejected: ${Db.message(e)}")
        false
      else
        Timer.sleep(backoff_ms(tries + 3))
        let _ = if Db.is_missing_partition(e) do ensure_days(pool, [row]) else Ok(()) end
        insert_single(pool, row, tries + 1)
      end
    end
  end
end

# Asks its writer to flush every interval; ends when the writer is gone.
actor flush_ticker(writer :: Pid, interval_ms :: Int) do
  receive do
  after interval_ms -> ()
  end
  if Process.is_alive(writer) do
    StorageWriter.tick(writer)
    flush_ticker(writer, interval_ms)
  else
    ()
  end
end

struct DirectoryState do
  pool :: PoolHandle
  journal :: Pid
  batch_size :: Int
  max_buffer :: Int
  flush_ms :: Int
  writers :: Map<String, Pid>
end

service WriterDirectory do
  fn init(pool :: PoolHandle, journal :: Pid, batch_size :: Int, max_buffer :: Int, flush_ms :: Int) -> DirectoryState do
    DirectoryState { pool: pool, journal: journal, batch_size: batch_size, max_buffer: max_buffer, flush_ms: flush_ms, writers: %{} }
  end

  # The project's writer, started with its flush ticker on first use (§6.4.2).
  call GetWriter(project_id :: String) :: Pid do |s|
    let existing = if Map.has_key(s.writers, project_id) do Some(Map.get(s.writers, project_id)) else None end
    case existing do
      Some(w) when Process.is_alive(w) -> (s, w)
      _ -> do
        let w = StorageWriter.start(project_id, s.pool, s.journal, s.batch_size, s.max_buffer)
        let _ = spawn(flush_ticker, w, s.flush_ms)
        (%{s | writers: Map.put(s.writers, project_id, w)}, w)
      end
    end
  end

  call Writers() :: List<Pid> do |s|
    (s, Map.values(s.writers))
  end

  call Journal() :: Pid do |s|
    (s, s.journal)
  end

  call Ping() :: Bool do |s|
    (s, true)
  end
end

# Totals over every writer of the directory (for /api/v1/status and shutdown).
pub fn totals(directory :: Pid) -> WriterStats do
  let zero = WriterStats { buffered: 0, journal_pending: 0, flushed_total: 0, flush_failures_total: 0, rejected_buffer_full_total: 0, dropped_total: 0 }
  let sum = WriterDirectory.writers(directory)
    |> List.filter(fn w -> Process.is_alive(w) end)
    |> List.map(fn w -> StorageWriter.stats(w) end)
    |> List.reduce(zero, fn(acc, st) -> %{acc |
      buffered: acc.buffered + st.buffered,
      flushed_total: acc.flushed_total + st.flushed_total,
      flush_failures_total: acc.flush_failures_total + st.flush_failures_total,
      rejected_buffer_full_total: acc.rejected_buffer_full_total + st.rejected_buffer_full_total,
      dropped_total: acc.dropped_total + st.dropped_total
    } end)
  %{sum | journal_pending: Journal.pending(WriterDirectory.journal(directory))}
end

# Asks every writer to flush now; returns how many events were buffered.
pub fn flush_all(directory :: Pid) -> Int do
  let writers = WriterDirectory.writers(directory) |> List.filter(fn w -> Process.is_alive(w) end)
  let buffered = writers |> List.map(fn w -> StorageWriter.stats(w).buffered end) |> List.reduce(0, fn(a, b) -> a + b end)
  for w in writers do
    StorageWriter.tick(w)
  end
  buffered
end
