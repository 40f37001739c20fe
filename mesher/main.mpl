# Mesher's entry point (mesher.md §1.5, §1.6, §2): configuration from the environment, the
# database (embedded PGlite by default, or a real PostgreSQL), distribution, schema, partitions,
# the pipeline, journal replay, then the WebSocket and HTTP listeners.
import Storage.Schema
import Storage.Partitions
import Storage.Db
from Types.Config import Config, load_config, pool_url, is_distributed
from Storage.Journal import Journal, replay
from Services.Org import OrgService
from Services.Project import ProjectService
from Services.User import UserService
from Services.Writer import flush_all, totals
from Ingestion.Pipeline import PipelineRegistry, start_pipeline, registry
from Ingestion.Routes import add_ingest_routes
import Api.Router

# Startup failures end the program with status 1 (§1.5); the reason line was printed already.
fn fail() -> () do
  System.exit(1)
end

# A real server gets TimeZone=UTC as a connection option so every pooled session is UTC (§2.1),
# in front of any options the URL already carries; the embedded database is set below.
fn server_url(url :: String) -> String do
  let utc = "options=-c%20TimeZone%3DUTC"
  if String.contains(url, "options=") do
    String.replace(url, "options=", utc <> "%20")
  else if String.contains(url, "?") do
    url <> "&" <> utc
  else
    url <> "?" <> utc
  end
end

fn open_database(config :: Config) -> Result<PoolHandle, String> do
  if config.embedded do
    # one serialised session (the runtime queues every statement); pool sizes do not apply
    let pool = Pool.open(pool_url(config), 1, 4, config.connect_timeout_ms)?
    let _ = Pool.execute(pool, "SET TIME ZONE 'UTC'", [])?
    Ok(pool)
  else
    let pool = Pool.open(server_url(config.database_url), config.pool_min, config.pool_max, config.connect_timeout_ms)?
    let _ = Pool.query(pool, "SELECT 1 AS ok", [])?
    Ok(pool)
  end
end

# §7.1: start the node when both name and cookie are set, then connect the configured peers.
fn start_distribution(config :: Config) -> () do
  if not is_distributed(config) do
    println("[Mesher] Running in standalone mode (no distribution)")
  else if Node.start(config.node_name, config.cookie) != 0 do
    println("[Mesher] Node start failed for: ${config.node_name}")
  else
    println("[Mesher] Node started: ${Node.self()}")
    if List.length(config.peers) == 0 do
      println("[Mesher] No peers configured")
    end
    for peer in config.peers do
      if Node.connect(peer) == 0 do
        println("[Mesher] Connected to peer: ${peer}")
      else
        println("[Mesher] Failed to connect to peer: ${peer}")
      end
    end
    ()
  end
end

# Graceful shutdown (§1.6): refuse new ingestion, flush every writer, wait until they are empty or
# the deadline passes; whatever is left stays in the journal for the next start. A second signal
# during a shutdown changes nothing. Returns the number of events left in the journal.
pub fn shutdown(reg :: Pid, pool :: PoolHandle, journal :: Pid, config :: Config, listeners :: List<Listener>, signal :: String) -> Option<Int> do
  if PipelineRegistry.begin_shutdown(reg) do
    None
  else
    println("[Mesher] Shutdown requested (${signal})")
    # new ingestion already gets 503 (begin_shutdown); now no new connections either
    for l in listeners do
      HTTP.stop(l)
    end
    let directory = PipelineRegistry.get_writer_pid(reg)
    let n = flush_all(directory)
    println("[Mesher] Flushing ${n} buffered events")
    wait_drained(directory, Time.monotonic_ms() + config.shutdown_timeout_ms)
    let left = Journal.pending(journal)
    println("[Mesher] Shutdown complete (${left} events left in journal)")
    Pool.close(pool)
    Some(left)
  end
end

fn wait_drained(directory :: Pid, deadline :: Int) -> () do
  if totals(directory).buffered > 0 and Time.monotonic_ms() < deadline do
    Timer.sleep(50)
    let _ = flush_all(directory)
    wait_drained(directory, deadline)
  end
end

fn main() do
  let config = load_config()
  println("[Mesher] Connecting to PostgreSQL...")
  if config.embedded do
    println("[Mesher] Using embedded PostgreSQL (PGlite) at ${config.pglite_dir}")
  end
  let pool = case open_database(config) do
    Ok(p) -> p
    Err(e) -> do
      println("[Mesher] Failed to connect to PostgreSQL")
      eprintln("[Mesher] ${e}")
      System.exit(1)
    end
  end
  start_distribution(config)
  case Schema.create_schema(pool) do
    Ok(_) -> println("[Mesher] Schema created/verified")
    Err(e) -> do
      println("[Mesher] Schema error: ${Db.message(e)}")
      fail()
    end
  end
  case Partitions.ensure_ahead(pool, 7) do
    Ok(_) -> println("[Mesher] Partitions created (7 days ahead)")
    Err(e) -> do
      println("[Mesher] Partition error: ${Db.message(e)}")
      fail()
    end
  end
  let _ = OrgService.start(pool)
  println("[Mesher] OrgService started")
  let _ = ProjectService.start(pool)
  println("[Mesher] ProjectService started")
  let _ = UserService.start(pool)
  println("[Mesher] UserService started")
  if config.journal_dir != "memory://" do
    case File.mkdir_p(config.journal_dir) do
      Ok(_) -> ()
      Err(e) -> do
        println("[Mesher] Journal directory error: ${e}")
        fail()
      end
    end
  end
  let journal = Journal.start(config.journal_dir, 0)
  let _ = start_pipeline(pool, config, journal)
  case replay(pool, config.journal_dir) do
    Ok(0) -> ()
    Ok(n) -> println("[StorageWriter] Replayed ${n} journaled events")
    Err(e) -> do
      println("[Mesher] Journal replay error: ${Db.message(e)}")
      fail()
    end
  end
  println("[Mesher] Foundation ready")
  println("[Mesher] WebSocket server starting on :${config.ws_port}")
  let ws = listen(config.ws_port, Router.start_streams(config.bind_host, config.ws_port))
  if config.admin_token == "" do
    println("[Mesher] WARNING: management API is unauthenticated (set MESHER_ADMIN_TOKEN)")
  end
  println("[Mesher] HTTP server starting on :${config.http_port}")
  let router = HTTP.router() |> add_ingest_routes() |> Router.add_routes()
  let http = listen(config.http_port, HTTP.start(router, config.bind_host, config.http_port))
  for signal in ["SIGTERM", "SIGINT"] do
    System.on_signal(signal, fn do
      case shutdown(registry(), pool, journal, config, [http, ws], signal) do
        Some(_) -> System.exit(0)
        None -> ()
      end
    end)
  end
end

# The listener, or the Cannot-listen line and exit 1 (§2.2).
fn listen(port :: Int, started :: Result<Listener, String>) -> Listener do
  case started do
    Ok(l) -> l
    Err(reason) -> do
      println("[Mesher] Cannot listen on :${port}: ${reason}")
      System.exit(1)
    end
  end
end
