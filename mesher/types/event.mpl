# The data an event carries through ingestion: the validated payload, the row that is journaled and
# stored, and the outcomes and errors of one ingestion attempt (mesher.md §4.2, §6.4).

# A payload that passed validation (§4.2.3). JSON members are kept as compact JSON text ("" when
# absent) because they are stored as jsonb as they are.
pub struct EventPayload do
  message :: String
  level :: String
  fingerprint :: String
  exception_json :: String
  exception_type :: Option<String>
  exception_value :: String
  stacktrace_json :: String
  frames :: List<(String, String)>
  breadcrumbs_json :: String
  tags_json :: String
  environment :: String
  extra_json :: String
  user_context_json :: String
  sdk_name :: String
  sdk_version :: String
  data :: String
end

# One accepted event as it is journaled and inserted: id and received_at are assigned at
# acceptance so that retries and journal replays are idempotent (§6.4.2).
pub struct EventRow do
  id :: String
  received_at :: String
  project_id :: String
  issue_id :: String
  fingerprint :: String
  level :: String
  message :: String
  exception :: String
  stacktrace :: String
  breadcrumbs :: String
  tags :: String
  extra :: String
  user_context :: String
  sdk_name :: String
  sdk_version :: String
end deriving(Json)

# What the issue upsert reported (§6.2).
pub struct IssueUpsert do
  issue_id :: String
  is_new :: Bool
  is_regression :: Bool
end

# The result of processing one kept event.
pub type Outcome do
  Accepted(String, String)
  Discarded
  SampledOut
end

# Why an ingestion request was refused; see Ingestion.Routes for the HTTP mapping (§4.2.2).
pub type IngestError do
  ShuttingDown
  Unauthorized
  BadRequest(String)
  RateLimited(Int)
  StorageUnavailable
  BufferFull
end
