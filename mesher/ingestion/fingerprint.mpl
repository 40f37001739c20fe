# Issue grouping keys (mesher.md §6.1): custom, stack trace, exception, then message, with a
# SHA-256 length cap so fingerprints always fit the unique index.
from Types.Event import EventPayload

let max_fingerprint = 1024

# Lower-case, remove every "0x", trim.
pub fn normalize(s :: String) -> String do
  s |> String.to_lower() |> String.replace("0x", "") |> String.trim()
end

fn raw_fingerprint(e :: EventPayload) -> String do
  if e.fingerprint != "" do
    e.fingerprint
  else if e.frames != [] do
    let frames = e.frames
      |> List.map(fn((file, func)) -> file <> "|" <> func end)
      |> String.join(";")
    frames <> ":" <> normalize(e.message)
  else
    case e.exception_type do
      Some(type_name) -> type_name <> ":" <> normalize(e.exception_value)
      None -> "msg:" <> normalize(e.message)
    end
  end
end

pub fn fingerprint(e :: EventPayload) -> String do
  let fp = raw_fingerprint(e)
  if String.length(fp) > max_fingerprint do "sha256:" <> Crypto.sha256(fp) else fp end
end
