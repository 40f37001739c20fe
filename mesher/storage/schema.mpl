# Schema bootstrap (mesher.md §3): pgcrypto, uuidv7() where the server lacks it, ten tables, the
# late columns, eighteen indexes. Every statement is idempotent and runs at every start.

let tables = [
  "CREATE TABLE IF NOT EXISTS organizations (id uuid PRIMARY KEY DEFAULT uuidv7(), name text NOT NULL, slug text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now())",
  "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY DEFAULT uuidv7(), email text NOT NULL UNIQUE, password_hash text NOT NULL, display_name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
  "CREATE TABLE IF NOT EXISTS org_memberships (id uuid PRIMARY KEY DEFAULT uuidv7(), user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE, org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, role text NOT NULL DEFAULT 'member', joined_at timestamptz NOT NULL DEFAULT now(), UNIQUE (user_id, org_id))",
  "CREATE TABLE IF NOT EXISTS sessions (token text PRIMARY KEY, user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE, created_at timestamptz NOT NULL DEFAULT now(), expires_at timestamptz NOT NULL DEFAULT now() + interval '7 days')",
  "CREATE TABLE IF NOT EXISTS projects (id uuid PRIMARY KEY DEFAULT uuidv7(), org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE, name text NOT NULL, platform text, created_at timestamptz NOT NULL DEFAULT now())",
  "ALTER TABLE projects ADD COLUMN IF NOT EXISTS retention_days integer NOT NULL DEFAULT 90",
  "ALTER TABLE projects ADD COLUMN IF NOT EXISTS sample_rate real NOT NULL DEFAULT 1.0",
  "CREATE TABLE IF NOT EXISTS api_keys (id uuid PRIMARY KEY DEFAULT uuidv7(), project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE, key_value text NOT NULL UNIQUE, label text NOT NULL DEFAULT 'default', created_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz)",
  "CREATE TABLE IF NOT EXISTS issues (id uuid PRIMARY KEY DEFAULT uuidv7(), project_id uuid NOT NULL, fingerprint text NOT NULL, title text NOT NULL, level text NOT NULL, status text NOT NULL DEFAULT 'unresolved', event_count integer NOT NULL DEFAULT 0, first_seen timestamptz NOT NULL DEFAULT now(), last_seen timestamptz NOT NULL DEFAULT now(), assigned_to uuid REFERENCES users(id), UNIQUE (project_id, fingerprint))",
  "CREATE TABLE IF NOT EXISTS events (id uuid NOT NULL DEFAULT uuidv7(), project_id uuid NOT NULL, issue_id uuid NOT NULL, level text NOT NULL, message text NOT NULL, fingerprint text NOT NULL, exception jsonb, stacktrace jsonb, breadcrumbs jsonb, tags jsonb NOT NULL DEFAULT '{}', extra jsonb NOT NULL DEFAULT '{}', user_context jsonb, sdk_name text, sdk_version text, received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (id, received_at)) PARTITION BY RANGE (received_at)",
  "CREATE TABLE IF NOT EXISTS alert_rules (id uuid PRIMARY KEY DEFAULT uuidv7(), project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE, name text NOT NULL, condition_json jsonb NOT NULL, action_json jsonb NOT NULL, enabled boolean NOT NULL DEFAULT true, created_at timestamptz NOT NULL DEFAULT now())",
  "ALTER TABLE alert_rules ADD COLUMN IF NOT EXISTS cooldown_minutes integer NOT NULL DEFAULT 60",
  "ALTER TABLE alert_rules ADD COLUMN IF NOT EXISTS last_fired_at timestamptz",
  "CREATE TABLE IF NOT EXISTS alerts (id uuid PRIMARY KEY DEFAULT uuidv7(), rule_id uuid NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE, project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE, status text NOT NULL DEFAULT 'active', message text NOT NULL, condition_snapshot jsonb NOT NULL, triggered_at timestamptz NOT NULL DEFAULT now(), acknowledged_at timestamptz, resolved_at timestamptz)"
]

let indexes = [
  "CREATE INDEX IF NOT EXISTS idx_org_memberships_user ON org_memberships (user_id)",
  "CREATE INDEX IF NOT EXISTS idx_org_memberships_org ON org_memberships (org_id)",
  "CREATE INDEX IF NOT EXISTS idx_sessions_user ON sessions (user_id)",
  "CREATE INDEX IF NOT EXISTS idx_sessions_expires ON sessions (expires_at)",
  "CREATE INDEX IF NOT EXISTS idx_projects_org ON projects (org_id)",
  "CREATE INDEX IF NOT EXISTS idx_api_keys_project ON api_keys (project_id)",
  "CREATE INDEX IF NOT EXISTS idx_api_keys_value ON api_keys (key_value) WHERE revoked_at IS NULL",
  "CREATE INDEX IF NOT EXISTS idx_issues_project_status ON issues (project_id, status)",
  "CREATE INDEX IF NOT EXISTS idx_issues_project_last_seen ON issues (project_id, last_seen DESC)",
  "CREATE INDEX IF NOT EXISTS idx_events_project_received ON events (project_id, received_at DESC)",
  "CREATE INDEX IF NOT EXISTS idx_events_issue_received ON events (issue_id, received_at DESC)",
  "CREATE INDEX IF NOT EXISTS idx_events_level ON events (level, received_at DESC)",
  "CREATE INDEX IF NOT EXISTS idx_events_fingerprint ON events (fingerprint)",
  "CREATE INDEX IF NOT EXISTS idx_events_tags ON events USING GIN (tags jsonb_path_ops)",
  "CREATE INDEX IF NOT EXISTS idx_alert_rules_project ON alert_rules (project_id) WHERE enabled",
  "CREATE INDEX IF NOT EXISTS idx_alerts_project_status ON alerts (project_id, status)",
  "CREATE INDEX IF NOT EXISTS idx_alerts_rule ON alerts (rule_id)",
  "CREATE INDEX IF NOT EXISTS idx_alerts_triggered ON alerts (triggered_at DESC)"
]

# PostgreSQL before 18 has no uuidv7(): define one with the same layout (48-bit ms timestamp,
# version 7, random rest with the RFC variant) on top of gen_random_uuid (already version 4 with the RFC variant; two bits turn 4 into 7).
let uuidv7_function = "CREATE OR REPLACE FUNCTION uuidv7() RETURNS uuid LANGUAGE sql VOLATILE AS $f$ SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid $f$"

fn run_all(pool :: PoolHandle, statements :: List<String>) -> Result<(), String> do
  for sql in statements do
    let _ = Pool.execute(pool, sql, [])?
  end
  Ok(())
end

pub fn create_schema(pool :: PoolHandle) -> Result<(), String> do
  let _ = Pool.execute(pool, "CREATE EXTENSION IF NOT EXISTS pgcrypto", [])?
  let rows = Pool.query(pool, "SELECT (to_regprocedure('uuidv7()') IS NOT NULL)::text AS present", [])?
  let present = case rows do
    row :: _ -> Map.get(row, "present") == "true"
    [] -> false
  end
  if not present do
    let _ = Pool.execute(pool, uuidv7_function, [])?
  end
  run_all(pool, tables)?
  run_all(pool, indexes)
end
