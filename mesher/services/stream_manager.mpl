# StreamManager (mesher.md §5): the state of every WebSocket client of this node — dashboards with
# their project, filters and bounded outbound queue (§5.4), and SDK /ingest connections with their
# API key. Registered locally as `stream_manager` (never globally). Ingestion, issue actions, the
# alert code and the spike checker call the notify_* functions; a notice is filtered per dashboard,
# rendered once, queued, and sent by the drain ticker. Notices are also forwarded to every
# connected peer node, whose own StreamManager delivers them (room broadcasts are cluster-wide).
import Api.JsonOut
from Services.Faults import stall_if_injected

## What happened, in typed form; rendered to the §5.3 JSON only when some client wants it.
pub type Notice do
  EventNotice(String, String, String, String, String)
  IssueCountNotice(String, Int)
  IssueNotice(String, String)
  AlertNotice(String, String, String, String)
end

pub type ClientKind do
  Dashboard(String)
  Ingest(String)
end

pub struct Client do
  kind :: ClientKind
  level :: String
  environment :: String
  queue :: Queue<String>
  dropped :: Int
end

struct State do
  clients :: Map<Int, Client>
  capacity :: Int
end

## Messages a dashboard queue holds at most (§5.4).
let queue_capacity = 100

pub service StreamManager do
  fn init(capacity :: Int) -> State do
    State { clients: Map.new(), capacity: capacity }
  end

  cast AddDashboard(conn :: Int, project_id :: String) do |state|
    let client = Client { kind: Dashboard(project_id), level: "", environment: "", queue: Queue.new(), dropped: 0 }
    %{state | clients: Map.put(state.clients, conn, client)}
  end

  cast AddIngest(conn :: Int, key :: String) do |state|
    let client = Client { kind: Ingest(key), level: "", environment: "", queue: Queue.new(), dropped: 0 }
    %{state | clients: Map.put(state.clients, conn, client)}
  end

  cast Remove(conn :: Int) do |state|
    %{state | clients: Map.delete(state.clients, conn)}
  end

  call Kind(conn :: Int) :: Option<ClientKind> do |state|
    let kind = if Map.has_key(state.clients, conn) do
      Some(state.clients[conn].kind)
    else
      None
    end
    (state, kind)
  end

  call SetFilters(conn :: Int, level :: String, environment :: String) :: Bool do |state|
    if Map.has_key(state.clients, conn) do
      let client = %{state.clients[conn] | level: level, environment: environment}
      (%{state | clients: Map.put(state.clients, conn, client)}, true)
    else
      (state, false)
    end
  end

  cast Publish(project_id :: String, notice :: Notice) do |state|
    let targets = Map.to_list(state.clients)
      |> List.filter(fn(entry) do
        let (_, client) = entry
        wants(client, project_id, notice)
      end)
    case targets do
      [] -> state
      _ -> do
        let text = render(notice)
        let clients = List.reduce(targets, state.clients, fn(acc, entry) do
          let (conn, client) = entry
          Map.put(acc, conn, enqueue(client, text, state.capacity))
        end)
        %{state | clients: clients}
      end
    end
  end

  cast Drain() do |state|
    let clients = List.reduce(Map.to_list(state.clients), state.clients, fn(acc, entry) do
      let (conn, client) = entry
      if Queue.is_empty(client.queue) do
        acc
      else if send_all(conn, client.queue) do
        Map.put(acc, conn, %{client | queue: Queue.new()})
      else
        Map.delete(acc, conn)
      end
    end)
    %{state | clients: clients}
  end

  call Count() :: Int do |state|
    let n = Map.values(state.clients)
      |> List.filter(fn c -> is_dashboard(c) end)
      |> List.length()
    (state, n)
  end

  call Watching(project_id :: String) :: Bool do |state|
    let watched = Map.values(state.clients)
      |> List.any(fn c -> c.kind == Dashboard(project_id) end)
    (state, watched)
  end

  call Dropped(conn :: Int) :: Int do |state|
    let n = if Map.has_key(state.clients, conn) do state.clients[conn].dropped else 0 end
    (state, n)
  end

  # Every client with its filters and queue (a restarted pipeline's manager adopts them).
  call Clients() :: Map<Int, Client> do |state|
    (state, state.clients)
  end

  # Takes over another manager's clients; a client this one already knows is kept as it is.
  cast Adopt(clients :: Map<Int, Client>) do |state|
    %{state | clients: Map.merge(clients, state.clients)}
  end

  call Ping() :: Bool do |state|
    stall_if_injected("StreamManager")
    (state, true)
  end
end

fn is_dashboard(client :: Client) -> Bool do
  case client.kind do
    Dashboard(_) -> true
    Ingest(_) -> false
  end
end

## Filters apply only to `event` messages (§5.2); an empty filter matches everything.
fn wants(client :: Client, project_id :: String, notice :: Notice) -> Bool do
  case client.kind do
    Ingest(_) -> false
    Dashboard(p) when p != project_id -> false
    Dashboard(_) -> case notice do
      EventNotice(_, _, level, environment, _) ->
        (client.level == "" or client.level == level) and
          (client.environment == "" or client.environment == environment)
      _ -> true
    end
  end
end

## Appends to the bounded queue, dropping the oldest message on overflow (§5.4).
fn enqueue(client :: Client, text :: String, capacity :: Int) -> Client do
  if Queue.size(client.queue) >= capacity do
    let (_, rest) = Queue.pop(client.queue)
    %{client | queue: Queue.push(rest, text), dropped: client.dropped + 1}
  else
    %{client | queue: Queue.push(client.queue, text)}
  end
end

## Sends every queued message in FIFO order; false as soon as one send fails.
fn send_all(conn :: Int, queue :: Queue<String>) -> Bool do
  if Queue.is_empty(queue) do
    true
  else
    let (text, rest) = Queue.pop(queue)
    if Ws.send(conn, text) == 0 do send_all(conn, rest) else false end
  end
end

## The §5.3 message for a notice.
pub fn render(notice :: Notice) -> String do
  case notice do
    EventNotice(issue_id, event_id, _, _, data) -> JsonOut.encode_obj([
      ("type", JsonOut.str("event")),
      ("issue_id", JsonOut.str(issue_id)),
      ("event_id", JsonOut.str(event_id)),
      ("data", JsonOut.raw_or(data, "{}"))
    ])
    IssueCountNotice(project_id, count) -> JsonOut.encode_obj([
      ("type", JsonOut.str("issue_count")),
      ("project_id", JsonOut.str(project_id)),
      ("count", JsonOut.int(count))
    ])
    IssueNotice(action, issue_id) -> JsonOut.encode_obj([
      ("type", JsonOut.str("issue")),
      ("action", JsonOut.str(action)),
      ("issue_id", JsonOut.str(issue_id))
    ])
    AlertNotice(alert_id, rule_name, condition, message) -> JsonOut.encode_obj([
      ("type", JsonOut.str("alert")),
      ("alert_id", JsonOut.str(alert_id)),
      ("rule_name", JsonOut.str(rule_name)),
      ("condition", JsonOut.str(condition)),
      ("message", JsonOut.str(message))
    ])
  end
end

# ---- starting -------------------------------------------------------------------------------

## Starts the manager and registers it locally as `stream_manager` (replacing a dead one's name).
pub fn start_stream_manager(drain_ms :: Int) -> Pid do
  let sm = StreamManager.start(queue_capacity)
  let _ = Process.unregister("stream_manager")
  let _ = Process.register("stream_manager", sm)
  sm
end

## Asks `sm` to drain its queues every `drain_ms`; stops when `sm` is gone (a restarted pipeline
## starts its own ticker).
pub fn start_drain_ticker(sm :: Pid, drain_ms :: Int) -> Pid do
  spawn(drain_ticker, sm, drain_ms)
end

actor drain_ticker(sm :: Pid, drain_ms :: Int) do
  receive do
  after drain_ms -> ()
  end
  if Process.is_alive(sm) do
    StreamManager.drain(sm)
    drain_ticker(sm, drain_ms)
  end
end

# ---- used by the WebSocket handlers ---------------------------------------------------------

pub fn manager() -> Option<Pid> = Process.lookup("stream_manager")

pub fn add_dashboard(conn :: Int, project_id :: String) -> () do
  case manager() do
    Some(sm) -> StreamManager.add_dashboard(sm, conn, project_id)
    None -> ()
  end
end

pub fn add_ingest(conn :: Int, key :: String) -> () do
  case manager() do
    Some(sm) -> StreamManager.add_ingest(sm, conn, key)
    None -> ()
  end
end

pub fn remove(conn :: Int) -> () do
  case manager() do
    Some(sm) -> StreamManager.remove(sm, conn)
    None -> ()
  end
end

pub fn kind_of(conn :: Int) -> Option<ClientKind> do
  case manager() do
    Some(sm) -> StreamManager.kind(sm, conn)
    None -> None
  end
end

pub fn set_filters(conn :: Int, level :: String, environment :: String) -> Bool do
  case manager() do
    Some(sm) -> StreamManager.set_filters(sm, conn, level, environment)
    None -> false
  end
end

## Dashboard clients of this node (for /api/v1/status).
pub fn client_count() -> Int do
  case manager() do
    Some(sm) -> StreamManager.count(sm)
    None -> 0
  end
end

pub fn ping(sm :: Pid) -> Bool = StreamManager.ping(sm)

## Whether a notice for `project_id` can reach anyone: a local dashboard of that project, or any
## connected peer (whose dashboards this node cannot see). Lets callers skip work such as counting
## unresolved issues for an `issue_count` nobody would receive.
pub fn has_listeners(project_id :: String) -> Bool do
  if Node.list() != [] do
    true
  else
    case manager() do
      Some(sm) -> StreamManager.watching(sm, project_id)
      None -> false
    end
  end
end

# ---- notifications (fire-and-forget; never block or fail the caller) -------------------------

pub fn notify_event(project_id :: String, issue_id :: String, event_id :: String, level :: String, environment :: String, data :: String) -> () do
  publish(project_id, EventNotice(issue_id, event_id, level, environment, data))
end

pub fn notify_issue_count(project_id :: String, count :: Int) -> () do
  publish(project_id, IssueCountNotice(project_id, count))
end

pub fn notify_issue(project_id :: String, action :: String, issue_id :: String) -> () do
  publish(project_id, IssueNotice(action, issue_id))
end

pub fn notify_alert(project_id :: String, alert_id :: String, rule_name :: String, condition :: String, message :: String) -> () do
  publish(project_id, AlertNotice(alert_id, rule_name, condition, message))
end

fn publish(project_id :: String, notice :: Notice) -> () do
  deliver_local(project_id, notice)
  let peers = Node.list()
  if peers != [] do
    let _ = spawn(forward, peers, project_id, notice)
  end
end

fn deliver_local(project_id :: String, notice :: Notice) -> () do
  case manager() do
    Some(sm) -> StreamManager.publish(sm, project_id, notice)
    None -> ()
  end
end

fn forward(peers :: List<String>, project_id :: String, notice :: Notice) -> () do
  for peer in peers do
    let _ = Node.spawn(peer, deliver_remote, project_id, notice)
  end
  ()
end

## Runs on a peer node: hands a notice from another node to this node's StreamManager only.
pub fn deliver_remote(project_id :: String, notice :: Notice) -> () = deliver_local(project_id, notice)
