# The EventProcessor (mesher.md §1.4 steps 6-9): fingerprint, discard check and issue upsert in one
# statement, then the hand-off to the project's StorageWriter (journal + buffer).
import Ingestion.Fingerprint
import Storage.Queries
import Storage.Ids
from Services.Writer import WriterDirectory, StorageWriter
from Types.Event import EventPayload, EventRow, IssueUpsert, IngestError, EnqueueError

struct ProcessorState do
  pool :: PoolHandle
  writers :: Pid
end

# A processed event: stored (its row and what the upsert reported) or dropped as discarded.
pub type Processed do
  Stored(EventRow, IssueUpsert)
  DroppedDiscarded
end

service EventProcessor do
  fn init(pool :: PoolHandle, writers :: Pid) -> ProcessorState do
    ProcessorState { pool: pool, writers: writers }
  end

  call ProcessEvent(project_id :: String, event :: EventPayload) :: Result<Processed, IngestError> do |s|
    (s, process(s.pool, s.writers, project_id, event))
  end

  call Ping() :: Bool do |s|
    (s, true)
  end
end

fn process(pool :: PoolHandle, writers :: Pid, project_id :: String, event :: EventPayload) -> Result<Processed, IngestError> do
  let fp = Fingerprint.fingerprint(event)
  case Queries.upsert_issue(pool, project_id, fp, event.message, event.level) do
    Err(e) -> do
      eprintln("[Mesher] issue upsert failed: " <> e)
      Err(StorageUnavailable)
    end
    Ok(None) -> Ok(DroppedDiscarded)
    Ok(Some(upsert)) -> do
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
  end
end
