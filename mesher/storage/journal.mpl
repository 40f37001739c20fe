# The node's write-ahead journal (mesher.md §6.4.4): one line per accepted event, appended before
# the acknowledgement; committed ids are appended to a second file; both files are truncated as
# soon as every journaled event is committed. Replayed (idempotently) at startup.
import Storage.Queries
import Storage.Partitions
import Storage.Db
from Types.Event import EventRow

struct JournalState do
  enabled :: Bool
  events_path :: String
  committed_path :: String
  pending :: Int
  # lines accepted since the last write began, their callers, and whether a write
  # is running
  unwritten :: List<String>
  waiting :: List<Subject<Result<(), String>>>
  syncing :: Bool
end

# Where the two files live (main creates the directory). `memory://` disables the journal (tests
# only).
pub fn paths(dir :: String) -> (String, String) do
  (dir <> "/journal.log", dir <> "/committed.log")
end

service Journal do
  fn init(dir :: String, pending :: Int) -> JournalState do
    let (events_path, committed_path) = paths(dir)
    JournalState {
      enabled: dir != "memory://",
      events_path: events_path,
      committed_path: committed_path,
      pending: pending,
      unwritten: [],
      waiting: [],
      syncing: false
    }
  end

  # Takes accepted events, one line each; `reply` gets Ok once they are on the disk. Lines that
  # arrive while a write runs go out together in the next one, one append and one sync for all of
  # them (group commit, §6.4.4); the writes run in a worker, so the journal never waits on the disk.
  cast Write(lines :: List<String>, reply :: Subject<Result<(), String>>) do |s|
    let n = List.length(lines)
    if s.enabled do
      start_sync(%{s | pending: s.pending + n, unwritten: List.append(s.unwritten, String.join(lines, "\n") <> "\n"), waiting: List.append(s.waiting, reply)})
    else
      Subject.send(reply, Ok(()))
      %{s | pending: s.pending + n}
    end
  end

  cast Synced(result :: Result<(), String>, covered :: List<Subject<Result<(), String>>>) do |s|
    for reply in covered do
      Subject.send(reply, result)
    end
    start_sync(%{s | syncing: false})
  end

  # Marks events as committed (or permanently dropped); compacts when nothing is pending.
  call Commit(ids :: List<String>) :: Int do |s|
    let left = Math.max(0, s.pending - List.length(ids))
    if s.enabled do
      if left == 0 do
        let _ = File.write(s.events_path, "")
        let _ = File.write(s.committed_path, "")
      else
        let _ = File.append(s.committed_path, String.join(ids, "\n") <> "\n")
      end
    end
    (%{s | pending: left}, left)
  end

  call Pending() :: Int do |s|
    (s, s.pending)
  end
end

fn start_sync(s :: JournalState) -> JournalState do
  if s.syncing or List.length(s.waiting) == 0 do
    s
  else
    let text = String.join(s.unwritten, "")
    let _ = spawn(sync_worker, Process.self(), s.events_path, text, s.waiting)
    %{s | syncing: true, unwritten: [], waiting: []}
  end
end

fn sync_worker(journal :: Pid, path :: String, text :: String, covered :: List<Subject<Result<(), String>>>) do
  Journal.synced(journal, File.append_durable(path, text), covered)
end

# Journals accepted events and returns once they are on the disk (or why they are not).
pub fn write_durably(journal :: Pid, lines :: List<String>) -> Result<(), String> do
  let reply = Subject.new()
  Journal.write(journal, lines, reply)
  case Subject.await(reply, 30000) do
    Ok(r) -> r
    Err(_) -> Err("journal sync timed out")
  end
end

fn read_lines(path :: String) -> List<String> do
  case File.read(path) do
    Ok(text) -> String.split(text, "\n") |> List.filter(fn l -> String.trim(l) != "" end)
    Err(_) -> []
  end
end

# The journaled events that were never marked committed (a torn last line is skipped).
pub fn uncommitted(dir :: String) -> List<EventRow> do
  if dir == "memory://" do
    []
  else
    let (events_path, committed_path) = paths(dir)
    let done = Set.from_list(read_lines(committed_path))
    read_lines(events_path)
      |> List.flat_map(fn line ->
        case EventRow.from_json(line) do
          Ok(row) -> if Set.contains(done, row.id) do [] else [row] end
          Err(_) -> []
        end
      end)
  end
end

fn insert_chunk(pool :: PoolHandle, rows :: List<EventRow>, tries :: Int) -> Result<Int, String> do
  case Queries.insert_events(pool, rows) do
    Ok(n) -> Ok(n)
    Err(e) -> do
      if Db.is_missing_partition(e) and tries < 5 do
        for row in rows do
          Partitions.ensure_for(pool, row.received_at)?
        end
        insert_chunk(pool, rows, tries + 1)
      else
        Err(e)
      end
    end
  end
end

fn insert_all(pool :: PoolHandle, rows :: List<EventRow>) -> Result<(), String> do
  if List.length(rows) == 0 do
    Ok(())
  else
    let _ = insert_chunk(pool, List.take(rows, 200), 0)?
    insert_all(pool, List.drop(rows, 200))
  end
end

# Startup replay (§1.5 step 7): inserts every uncommitted journaled event (idempotent: rows already
# stored are skipped), then compacts. Returns the number replayed; on failure nothing is compacted.
pub fn replay(pool :: PoolHandle, dir :: String) -> Result<Int, String> do
  let rows = uncommitted(dir)
  insert_all(pool, rows)?
  if dir != "memory://" do
    let (events_path, committed_path) = paths(dir)
    let _ = File.write(events_path, "")
    let _ = File.write(committed_path, "")
  end
  Ok(List.length(rows))
end
