##! Inventory helpers
## Adds stock to a level.
fn add(level, k) do
level + k   # no overflow check here
end
# ---- queries ----


# Current level, or zero.
fn level(s) = s.count
