# Mesher configuration: every setting of mesher.md §2 read once from the environment.

pub struct Config do
  database_url :: String
  embedded :: Bool
  pglite_dir :: String
  pool_min :: Int
  pool_max :: Int
  connect_timeout_ms :: Int
  http_port :: Int
  ws_port :: Int
  bind_host :: String
  node_name :: String
  cookie :: String
  peers :: List<String>
  rate_limit_max :: Int
  rate_limit_window_s :: Int
  writer_batch_size :: Int
  writer_flush_ms :: Int
  writer_max_buffer :: Int
  load_interval_ms :: Int
  load_threshold :: Int
  health_interval_ms :: Int
  spike_interval_ms :: Int
  alert_interval_ms :: Int
  retention_interval_ms :: Int
  stream_drain_ms :: Int
  journal_dir :: String
  shutdown_timeout_ms :: Int
  admin_token :: String
end

# The value of a variable, "" when it is unset.
pub fn env_text(name :: String) -> String do
  case Env.get(name) do
    Some(v) -> String.trim(v)
    None -> ""
  end
end

# A non-negative integer variable; an unparsable value prints the warning of §2 and uses the default.
fn env_int(name :: String, default_value :: Int) -> Int do
  let raw = env_text(name)
  if raw == "" do
    default_value
  else
    case String.to_int(raw) do
      Some(n) when n >= 0 -> n
      _ -> do
        println("[Mesher] Invalid value for ${name}, using default ${default_value}")
        default_value
      end
    end
  end
end

# Like env_int, but zero is invalid too (intervals, sizes).
fn env_pos(name :: String, default_value :: Int) -> Int do
  let n = env_int(name, default_value)
  if n == 0 do
    println("[Mesher] Invalid value for ${name}, using default ${default_value}")
    default_value
  else
    n
  end
end

fn env_or(name :: String, default_value :: String) -> String do
  let v = env_text(name)
  if v == "" do default_value else v end
end

# MESHER_PEERS: a comma-separated list, each item trimmed, empty items ignored (§2.3).
pub fn parse_peers(text :: String) -> List<String> do
  String.split(text, ",")
    |> List.map(fn p -> String.trim(p) end)
    |> List.filter(fn p -> p != "" end)
end

pub fn load_config() -> Config do
  let url = env_or("MESHER_DATABASE_URL", env_text("DATABASE_URL"))
  Config {
    database_url: url,
    embedded: url == "",
    pglite_dir: env_or("MESHER_PGLITE_DIR", "./mesher-data/pglite"),
    pool_min: env_int("MESHER_DB_POOL_MIN", 2),
    pool_max: env_pos("MESHER_DB_POOL_MAX", 10),
    connect_timeout_ms: env_pos("MESHER_DB_CONNECT_TIMEOUT_MS", 5000),
    http_port: env_int("MESHER_HTTP_PORT", 8080),
    ws_port: env_int("MESHER_WS_PORT", 8081),
    bind_host: env_or("MESHER_BIND_HOST", "0.0.0.0"),
    node_name: env_text("MESHER_NODE_NAME"),
    cookie: env_text("MESHER_COOKIE"),
    peers: parse_peers(env_text("MESHER_PEERS")),
    rate_limit_max: env_int("MESHER_RATE_LIMIT_MAX", 1000),
    rate_limit_window_s: env_pos("MESHER_RATE_LIMIT_WINDOW_S", 60),
    writer_batch_size: env_pos("MESHER_WRITER_BATCH_SIZE", 50),
    writer_flush_ms: env_pos("MESHER_WRITER_FLUSH_MS", 5000),
    writer_max_buffer: env_pos("MESHER_WRITER_MAX_BUFFER", 500),
    load_interval_ms: env_pos("MESHER_LOAD_INTERVAL_MS", 5000),
    load_threshold: env_int("MESHER_LOAD_THRESHOLD", 100),
    health_interval_ms: env_pos("MESHER_HEALTH_INTERVAL_MS", 10000),
    spike_interval_ms: env_pos("MESHER_SPIKE_INTERVAL_MS", 300000),
    alert_interval_ms: env_pos("MESHER_ALERT_INTERVAL_MS", 30000),
    retention_interval_ms: env_pos("MESHER_RETENTION_INTERVAL_MS", 86400000),
    stream_drain_ms: env_pos("MESHER_STREAM_DRAIN_MS", 250),
    journal_dir: env_or("MESHER_JOURNAL_DIR", "./mesher-data/journal"),
    shutdown_timeout_ms: env_int("MESHER_SHUTDOWN_TIMEOUT_MS", 30000),
    admin_token: env_text("MESHER_ADMIN_TOKEN")
  }
end

# True when both MESHER_NODE_NAME and MESHER_COOKIE are set (§2.3).
pub fn is_distributed(c :: Config) -> Bool do
  c.node_name != "" and c.cookie != ""
end

# The database URL handed to Pool.open: a real server, or the embedded PGlite directory.
pub fn pool_url(c :: Config) -> String do
  if c.embedded do
    if c.pglite_dir == "memory://" do "pglite:memory" else "pglite:" <> c.pglite_dir end
  else
    c.database_url
  end
end

# "60s", "5 min", "24h": how the startup lines print an interval (§1.5 with the defaults).
pub fn seconds_text(ms :: Int) -> String do
  if ms % 1000 == 0 do "${ms / 1000}s" else "${ms}ms" end
end
