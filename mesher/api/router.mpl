# The management API of mesher.md §4 (every route except core's two ingestion routes and
# /api/v1/status): 43 routes, the MESHER_ADMIN_TOKEN guard (§2.5), JSON 404s for unknown paths
# and methods, and the WebSocket server (§5).
import Api.Http
import Api.Auth
import Api.Issues
import Api.Search
import Api.Dashboard
import Api.Events
import Api.Team
import Api.Alerts
import Api.Settings
import Api.Accounts
import Api.StreamSocket
from Types.Config import env_text

pub fn add_routes(r :: Router) -> Router do
  let h = Http.handle
  let r = r
    # issues (§4.3)
    |> HTTP.on_post("/api/v1/issues/:issue_id/resolve", h(Issues.resolve))
    |> HTTP.on_post("/api/v1/issues/:issue_id/archive", h(Issues.archive))
    |> HTTP.on_post("/api/v1/issues/:issue_id/unresolve", h(Issues.unresolve))
    |> HTTP.on_post("/api/v1/issues/:issue_id/discard", h(Issues.discard))
    |> HTTP.on_post("/api/v1/issues/:issue_id/delete", h(Issues.delete))
    |> HTTP.on_post("/api/v1/issues/:issue_id/assign", h(Issues.assign_issue))
    # search and listing (§4.4)
    |> HTTP.on_get("/api/v1/projects/:project_id/issues", h(Search.list_project_issues))
    |> HTTP.on_get("/api/v1/projects/:project_id/events/search", h(Search.search_events))
    |> HTTP.on_get("/api/v1/projects/:project_id/events/tags", h(Search.search_tags))
    |> HTTP.on_get("/api/v1/issues/:issue_id/events", h(Search.list_issue_events))
    # dashboard (§4.5)
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/volume", h(Dashboard.event_volume))
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/levels", h(Dashboard.level_counts))
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/top-issues", h(Dashboard.top))
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/tags", h(Dashboard.tag_breakdown))
    |> HTTP.on_get("/api/v1/issues/:issue_id/timeline", h(Dashboard.issue_timeline))
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/health", h(Dashboard.project_health))
    # event detail (§4.6)
    |> HTTP.on_get("/api/v1/events/:event_id", h(Events.show))
    # team and API keys (§4.7)
    |> HTTP.on_get("/api/v1/orgs/:org_id/members", h(Team.members))
    |> HTTP.on_post("/api/v1/orgs/:org_id/members", h(Team.add))
    |> HTTP.on_post("/api/v1/orgs/:org_id/members/:membership_id/role", h(Team.change_role))
    |> HTTP.on_post("/api/v1/orgs/:org_id/members/:membership_id/remove", h(Team.remove))
    |> HTTP.on_get("/api/v1/projects/:project_id/api-keys", h(Team.keys))
    |> HTTP.on_post("/api/v1/projects/:project_id/api-keys", h(Team.create))
    |> HTTP.on_post("/api/v1/api-keys/:key_id/revoke", h(Team.revoke))
    # alert rules and alerts (§4.8)
    |> HTTP.on_get("/api/v1/projects/:project_id/alert-rules", h(Alerts.rules))
    |> HTTP.on_post("/api/v1/projects/:project_id/alert-rules", h(Alerts.create))
    |> HTTP.on_post("/api/v1/alert-rules/:rule_id/toggle", h(Alerts.toggle))
    |> HTTP.on_post("/api/v1/alert-rules/:rule_id/delete", h(Alerts.delete))
    |> HTTP.on_get("/api/v1/projects/:project_id/alerts", h(Alerts.alerts))
    |> HTTP.on_post("/api/v1/alerts/:alert_id/acknowledge", h(Alerts.ack))
    |> HTTP.on_post("/api/v1/alerts/:alert_id/resolve", h(Alerts.resolve_alert))
    # settings and storage (§4.9)
    |> HTTP.on_get("/api/v1/projects/:project_id/settings", h(Settings.show))
    |> HTTP.on_post("/api/v1/projects/:project_id/settings", h(Settings.update))
    |> HTTP.on_get("/api/v1/projects/:project_id/storage", h(Settings.usage))
    # organisations, projects, users, sessions (§4.10; /api/v1/status is core's)
    |> HTTP.on_post("/api/v1/orgs", h(Accounts.create_organization))
    |> HTTP.on_get("/api/v1/orgs", h(Accounts.organizations))
    |> HTTP.on_get("/api/v1/orgs/:org_id", h(Accounts.organization))
    |> HTTP.on_post("/api/v1/orgs/:org_id/projects", h(Accounts.create_org_project))
    |> HTTP.on_get("/api/v1/orgs/:org_id/projects", h(Accounts.org_projects))
    |> HTTP.on_get("/api/v1/projects/:project_id", h(Accounts.project))
    |> HTTP.on_post("/api/v1/users", h(Accounts.register_user))
    |> HTTP.on_post("/api/v1/auth/login", h(Accounts.login))
    |> HTTP.on_post("/api/v1/auth/logout", h(Accounts.logout))
    # everything else, any method (wildcards match last, §18.3 of stdlib.md)
    |> HTTP.route("/*", fn(_request) -> Http.error_response(404, "not found") end)
  let admin_token = env_text("MESHER_ADMIN_TOKEN")
  if admin_token == "" do
    r
  else
    HTTP.use(r, Auth.guard(admin_token))
  end
end

## Starts the WebSocket server (dashboards and SDK ingestion) on `port`.
pub fn start_streams(host :: String, port :: Int) -> Result<Listener, String> = StreamSocket.start_streams(host, port)
