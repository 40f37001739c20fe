# The ingestion pipeline of one node (mesher.md §1.2, §1.5 step 6, §6.8, §7): the PipelineRegistry
# service that handlers use to find this node's services and that holds the load counter, the
# startup and restart of every pipeline service and periodic actor, the health checker, the
# cluster-aware load_monitor and the event_processor_worker that peers start on this node.
from Types.Config import Config, seconds_text
from Services.RateLimiter import RateLimiter, rate_window_ticker
from Services.EventProcessor import EventProcessor
from Services.Writer import WriterDirectory, flush_all
from Services.StreamManager import StreamManager, Client, start_stream_manager, start_drain_ticker
from Services.Alerts import alert_evaluator
from Services.Spike import spike_checker
from Services.Retention import retention_cleaner, partition_maintainer

struct RegistryState do
  pool :: PoolHandle
  config :: Config
  rate_limiter_pid :: Pid
  processor_pid :: Pid
  processors :: List<Pid>
  next_processor :: Int
  writer_pid :: Pid
  stream_manager_pid :: Pid
  event_count :: Int
  shutting_down :: Bool
  remote_workers_started :: Int
end

# Everything an ingestion handler needs, fetched in one call.
pub struct IngestContext do
  pool :: PoolHandle
  config :: Config
  rate_limiter :: Pid
  processor :: Pid
  shutting_down :: Bool
end

service PipelineRegistry do
  fn init(pool :: PoolHandle, config :: Config, rate_limiter :: Pid, processors :: List<Pid>, writers :: Pid, stream_manager :: Pid) -> RegistryState do
    RegistryState {
      pool: pool,
      config: config,
      rate_limiter_pid: rate_limiter,
      processor_pid: List.head(processors),
      processors: processors,
      next_processor: 0,
      writer_pid: writers,
      stream_manager_pid: stream_manager,
      event_count: 0,
      shutting_down: false,
      remote_workers_started: 0
    }
  end

  call GetPool() :: PoolHandle do |state|
    (state, state.pool)
  end

  call GetConfig() :: Config do |state|
    (state, state.config)
  end

  call GetRateLimiter() :: Pid do |state|
    (state, state.rate_limiter_pid)
  end

  # Round-robin over the live processors of this node, extra (remote-started) ones included.
  call GetProcessor() :: Pid do |state|
    let live = List.filter(state.processors, fn p -> Process.is_alive(p) end)
    let pick = if List.length(live) == 0 do state.processor_pid else List.get(live, state.next_processor % List.length(live)) end
    (%{state | processors: live, next_processor: state.next_processor + 1}, pick)
  end

  call GetProcessors() :: List<Pid> do |state|
    (state, state.processors)
  end

  call GetWriterPid() :: Pid do |state|
    (state, state.writer_pid)
  end

  call GetStreamManager() :: Pid do |state|
    (state, state.stream_manager_pid)
  end

  call GetContext() :: IngestContext do |state|
    let live = List.filter(state.processors, fn p -> Process.is_alive(p) end)
    let pick = if List.length(live) == 0 do state.processor_pid else List.get(live, state.next_processor % List.length(live)) end
    let ctx = IngestContext {
      pool: state.pool,
      config: state.config,
      rate_limiter: state.rate_limiter_pid,
      processor: pick,
      shutting_down: state.shutting_down
    }
    (%{state | processors: live, next_processor: state.next_processor + 1}, ctx)
  end

  call GetEventCount() :: Int do |state|
    (state, state.event_count)
  end

  call IncrementEventCount() :: Int do |state|
    let new_count = state.event_count + 1
    (%{state | event_count: new_count}, new_count)
  end

  call ResetEventCount() :: Int do |state|
    (%{state | event_count: 0}, 0)
  end

  # The load monitor's atomic read-and-reset (§7.3): no increment can fall between the two.
  call TakeEventCount() :: Int do |state|
    (%{state | event_count: 0}, state.event_count)
  end

  call IsShuttingDown() :: Bool do |state|
    (state, state.shutting_down)
  end

  call BeginShutdown() :: Bool do |state|
    (%{state | shutting_down: true}, state.shutting_down)
  end

  # An extra EventProcessor started on this node by a peer's load monitor (§7.5).
  call AddProcessor(pid :: Pid) :: Int do |state|
    let n = state.remote_workers_started + 1
    (%{state | processors: List.append(state.processors, pid), remote_workers_started: n}, n)
  end

  call RemoteWorkersStarted() :: Int do |state|
    (state, state.remote_workers_started)
  end
end

# This node's registry (§7.2: handlers always use the node-local one, also in cluster mode).
pub fn registry() -> Pid do
  Process.whereis("mesher_registry")
end

fn interval_text(ms :: Int) -> String do
  if ms % 3600000 == 0 do
    "${ms / 3600000}h"
  else if ms % 60000 == 0 and ms >= 300000 do
    "${ms / 60000} min"
  else
    seconds_text(ms)
  end
end

# Registers the registry locally, and in cluster mode globally under both names (§7.2).
fn register_registry(reg :: Pid) -> () do
  let _ = Process.unregister("mesher_registry")
  let _ = Process.register("mesher_registry", reg)
  let node = Node.self()
  if node != "" do
    let own = "mesher_registry@" <> node
    let _ = Global.unregister(own)
    let _ = Global.register(own, reg)
    # first writer wins; a taken name is not an error
    let _ = Global.register("mesher_registry", reg)
    println("[Mesher] Services registered globally as ${own}")
  else
    println("[Mesher] Running in standalone mode (skipping global registration)")
  end
end

# Starts every pipeline service and periodic actor of this node and returns the registry (§1.5
# step 6, printing each line after its component started). The journal outlives restarts.
pub fn start_pipeline(pool :: PoolHandle, config :: Config, journal :: Pid) -> Pid do
  let reg = start_services(pool, config, journal)
  let _ = spawn(load_monitor, reg, config, 0, Set.new(), Time.monotonic_ms() + config.load_interval_ms)
  println("[Mesher] Load monitor started (${interval_text(config.load_interval_ms)} interval, threshold: ${config.load_threshold} events)")
  reg
end

# Everything of start_pipeline except the load monitor, which both start paths spawn themselves.
fn start_services(pool :: PoolHandle, config :: Config, journal :: Pid) -> Pid do
  let sm = start_stream_manager(config.stream_drain_ms)
  println("[Mesher] StreamManager started")
  let _ = start_drain_ticker(sm, config.stream_drain_ms)
  println("[Mesher] StreamManager drain ticker started (${config.stream_drain_ms}ms interval)")
  let limiter = RateLimiter.start(config.rate_limit_max)
  let _ = spawn(rate_window_ticker, limiter, config.rate_limit_window_s * 1000)
  println("[Mesher] RateLimiter started (${config.rate_limit_window_s}s window, ${config.rate_limit_max} max)")
  let writers = WriterDirectory.start(pool, journal, config.writer_batch_size, config.writer_max_buffer, config.writer_flush_ms)
  # The processor batches the key lookups and issue upserts of all callers, one statement of each
  # kind in flight: events arriving meanwhile wait for the next batch, so batches grow with the
  # load (a second processor halved them and doubled the statements per event). Peers under load
  # add processors here (§7.5).
  let count = 1
  let processors = Range.map(Range.new(0, count), fn _ -> EventProcessor.start(pool, writers) end)
  println("[Mesher] EventProcessor started")
  println("[Mesher] StorageWriter directory started")
  let reg = PipelineRegistry.start(pool, config, limiter, processors, writers, sm)
  register_registry(reg)
  println("[Mesher] PipelineRegistry started and registered")
  let _ = spawn(health_checker, reg, pool, config, journal)
  println("[Mesher] Health checker started (${interval_text(config.health_interval_ms)} interval)")
  let _ = spawn(spike_checker, reg, pool, config.spike_interval_ms)
  println("[Mesher] Spike checker started (${interval_text(config.spike_interval_ms)} interval)")
  let _ = spawn(alert_evaluator, reg, pool, config.alert_interval_ms)
  println("[Mesher] Alert evaluator started (${interval_text(config.alert_interval_ms)} interval)")
  let _ = spawn(retention_cleaner, reg, pool, config.retention_interval_ms)
  println("[Mesher] Retention cleaner started (${interval_text(config.retention_interval_ms)} interval)")
  let _ = spawn(partition_maintainer, reg, pool)
  reg
end

# Replaces the whole pipeline at once (§6.8): a best-effort flush of the old writers, then new
# RateLimiter, EventProcessor, writer directory, StreamManager, tickers and PipelineRegistry,
# re-registered locally and globally, with the load counter back at 0. The old periodic actors
# notice that their registry is no longer the registered one and stop; acknowledged events are
# safe in the journal (the old writers keep flushing what they hold).
pub fn restart_all_services(pool :: PoolHandle, config :: Config, journal :: Pid) -> Pid do
  let old = registry()
  let old_services = if old != 0 do
    let job = Job.async(fn -> old_pids(old) end)
    case Job.await_timeout(job, 2000) do
      Ok(pids) -> pids
      Err(_) -> []
    end
  else
    []
  end
  # dashboards and SDK connections stay with the new StreamManager when the old one still answers
  let clients = if old != 0 do old_clients(old) else Map.new() end
  for pid in old_services do
    Process.exit(pid, "kill")
  end
  if old != 0 do
    Process.exit(old, "kill")
  end
  let reg = start_services(pool, config, journal)
  StreamManager.adopt(PipelineRegistry.get_stream_manager(reg), clients)
  let _ = spawn(load_monitor, reg, config, 0, Set.new(), Time.monotonic_ms() + config.load_interval_ms)
  println("[Mesher] Load monitor started (${interval_text(config.load_interval_ms)} interval, threshold: ${config.load_threshold} events)")
  reg
end

# The old pipeline's services; the writer directory is flushed (best effort) and left running so
# its writers finish their batches.
fn old_pids(old :: Pid) -> List<Pid> do
  let directory = PipelineRegistry.get_writer_pid(old)
  let _ = flush_all(directory)
  let procs = PipelineRegistry.get_processors(old)
  List.concat([PipelineRegistry.get_rate_limiter(old), PipelineRegistry.get_stream_manager(old)], procs)
end

fn old_clients(old :: Pid) -> Map<Int, Client> do
  let job = Job.async(fn -> StreamManager.clients(PipelineRegistry.get_stream_manager(old)) end)
  case Job.await_timeout(job, 1000) do
    Ok(clients) -> clients
    Err(_) -> Map.new()
  end
end

# A call that must answer within 2 s (§6.8); false on timeout or crash.
fn responds(f :: Fun() -> Bool) -> Bool do
  case Job.await_timeout(Job.async(f), 2000) do
    Ok(v) -> v
    Err(_) -> false
  end
end

# The first unresponsive service, if any.
fn unresponsive(reg :: Pid) -> Option<String> do
  if not responds(fn -> PipelineRegistry.get_event_count(reg) >= 0 end) do
    Some("PipelineRegistry")
  else
    let limiter = PipelineRegistry.get_rate_limiter(reg)
    let processors = PipelineRegistry.get_processors(reg)
    let sm = PipelineRegistry.get_stream_manager(reg)
    let directory = PipelineRegistry.get_writer_pid(reg)
    if not responds(fn -> RateLimiter.ping(limiter) end) do
      Some("RateLimiter")
    else if not List.all(processors, fn p -> not Process.is_alive(p) or responds(fn -> EventProcessor.ping(p) end) end) do
      Some("EventProcessor")
    else if not responds(fn -> StreamManager.ping(sm) end) do
      Some("StreamManager")
    else if not responds(fn -> WriterDirectory.ping(directory) end) do
      Some("StorageWriter")
    else
      None
    end
  end
end

fn database_ok(pool :: PoolHandle) -> Bool do
  responds(fn -> case Pool.query(pool, "SELECT 1 AS ok", []) do
    Ok(_) -> true
    Err(_) -> false
  end end)
end

# Every MESHER_HEALTH_INTERVAL_MS: probe every service (2 s each) and the database (§6.8).
actor health_checker(reg :: Pid, pool :: PoolHandle, config :: Config, journal :: Pid) do
  receive do
  after config.health_interval_ms -> ()
  end
  if registry() == reg do
    case unresponsive(reg) do
      Some(name) -> do
        println("[Mesher] Health check: ${name} unresponsive -- restarting pipeline services")
        let _ = restart_all_services(pool, config, journal)
        ()
      end
      None -> do
        if database_ok(pool) do
          println("[Mesher] Health check: all services responsive")
        else
          println("[Mesher] Health check: database unreachable")
        end
        health_checker(reg, pool, config, journal)
      end
    end
  end
end

# ---- clustering (§7.3-§7.5) --------------------------------------------------------------------

# Why the load monitor woke up.
type Wake do
  PeerDown(String)
  Ignored
  TickDue
end

pub fn log_load_status(event_count :: Int, node_count :: Int, interval_ms :: Int) -> () do
  println("[Mesher] Load monitor: ${event_count} events/${seconds_text(interval_ms)}, ${node_count} peers")
end

# Starts one EventProcessor on the first peer, through the function registry: the worker runs
# there with that node's own registry and pool (a pool handle never leaves its node).
pub fn try_remote_spawn(peers :: List<String>) -> () do
  let target = List.head(peers)
  println("[Mesher] Load high -- spawning remote processor on ${target}")
  let remote_registry = Global.whereis("mesher_registry@" <> target)
  let pid = Node.spawn(target, event_processor_worker)
  if pid != 0 do
    println("[Mesher] Spawned remote event_processor_worker on ${target}")
  else
    let reason = if remote_registry == 0 do "no registry on target" else "spawn refused or connection lost" end
    println("[Mesher] Remote spawn failed on ${target}: ${reason}")
  end
end

# Runs on the target node (started by a peer's Node.spawn): a new EventProcessor on this node's own
# pool and writers, registered with this node's registry as an extra processor.
pub fn event_processor_worker() do
  case Process.lookup("mesher_registry") do
    None -> println("[Mesher] Remote event processor worker failed: registry unavailable")
    Some(reg) -> do
      let pool = PipelineRegistry.get_pool(reg)
      let writers = PipelineRegistry.get_writer_pid(reg)
      let processor = EventProcessor.start(pool, writers)
      let _ = PipelineRegistry.add_processor(reg, processor)
      println("[Mesher] Remote event processor worker started")
    end
  end
end

# Quietly reconnects configured peers that are not connected (§7.1); prints only successes.
fn retry_peers(config :: Config) -> () do
  if Node.self() != "" do
    let connected = Node.list()
    for peer in config.peers when not List.contains(connected, peer) and peer != Node.self() do
      if Node.connect(peer) == 0 do
        println("[Mesher] Connected to peer: ${peer}")
      end
    end
  end
end

# Node.monitor for every connected peer not yet monitored; returns the new monitored set.
fn monitor_new_peers(peers :: List<String>, monitored :: Set<String>) -> Set<String> do
  List.reduce(peers, monitored, fn(acc, peer) ->
    if Set.contains(acc, peer) do
      acc
    else if Node.monitor(peer) == 0 do
      println("[Mesher] Monitoring peer: ${peer}")
      Set.add(acc, peer)
    else
      println("[Mesher] Failed to monitor peer: ${peer}")
      acc
    end
  end)
end

# Steps 2-7 of §7.4; returns the peer count and the monitored set.
fn load_tick(reg :: Pid, config :: Config, prev_peers :: Int, monitored :: Set<String>) -> (Int, Set<String>) do
  retry_peers(config)
  let count = PipelineRegistry.take_event_count(reg)
  let peers = Node.list()
  let n = List.length(peers)
  log_load_status(count, n, config.load_interval_ms)
  if n > prev_peers do
    println("[Mesher] New peers detected (${prev_peers} -> ${n}), setting up monitors")
  else if n < prev_peers do
    println("[Mesher] Peer lost (${prev_peers} -> ${n}) -- NODEDOWN detected")
  end
  let now_monitored = monitor_new_peers(peers, monitored)
  # after a peer loss the cluster-wide name may be free again (§7.2)
  if Node.self() != "" and Global.whereis("mesher_registry") == 0 do
    let _ = Global.register("mesher_registry", reg)
  end
  if n > 0 and count > config.load_threshold do
    try_remote_spawn(peers)
  end
  (n, now_monitored)
end

# Every MESHER_LOAD_INTERVAL_MS: take the load counter, watch peers, spawn a remote processor under
# load. Node-down notifications are consumed while waiting. Stops when its registry was replaced.
actor load_monitor(reg :: Pid, config :: Config, prev_peers :: Int, monitored :: Set<String>, due :: Int) do
  let wait = Math.max(0, due - Time.monotonic_ms())
  let wake = receive do
    NodeDown(node) -> PeerDown(node)
    NodeUp(_) -> Ignored
  after wait -> TickDue
  end
  if registry() == reg do
    case wake do
      PeerDown(node) -> do
        println("[Mesher] Node down: ${node}")
        load_monitor(reg, config, prev_peers, Set.remove(monitored, node), due)
      end
      Ignored -> load_monitor(reg, config, prev_peers, monitored, due)
      TickDue -> do
        let (n, now_monitored) = load_tick(reg, config, prev_peers, monitored)
        load_monitor(reg, config, n, now_monitored, Time.monotonic_ms() + config.load_interval_ms)
      end
    end
  end
end
