# Application-generated identifiers: UUIDv7 for events (the id must exist before the insert,
# mesher.md §3.1) and hex helpers.

let hex_digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]

let hex_text = "0123456789abcdef"

# `n` as exactly `width` lowercase hex digits (high digits dropped, zero padded).
pub fn hex(n :: Int, width :: Int) -> String do
  hex_loop(n, width, "")
end

fn hex_loop(n :: Int, width :: Int, acc :: String) -> String do
  if width == 0 do
    acc
  else
    let d = n % 16
    hex_loop(n / 16, width - 1, String.slice(hex_text, d, d + 1) <> acc)
  end
end

# A version-7 UUID: 48-bit Unix milliseconds, version 7, then the random bits and RFC variant of
# a version-4 UUID (74 random bits).
pub fn uuid_v7() -> String do
  let ms = hex(Time.now_ms(), 12)
  let v4 = Crypto.uuid4()
  String.slice(ms, 0, 8) <> "-" <> String.slice(ms, 8, 12) <> "-7" <> String.slice(v4, 15, 36)
end

# True for a lowercase or uppercase hyphenated UUID (used to validate ids before SQL).
pub fn is_uuid(s :: String) -> Bool do
  let parts = String.split(s, "-")
  String.length(s) == 36 and List.length(parts) == 5
    and List.map(parts, fn p -> String.length(p) end) == [8, 4, 4, 4, 12]
    and List.all(parts, fn p -> is_hex(p) end)
end

fn is_hex(p :: String) -> Bool do
  String.split(String.to_lower(p), "") |> List.all(fn c -> c == "" or List.contains(hex_digits, c) end)
end
