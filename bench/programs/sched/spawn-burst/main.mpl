# Spawn benchmark, burst form: the parent spawns 100,000 processes from a plain (never
# suspending, so never preempted) helper function, i.e. all in one turn; each child sends its
# number to the parent and exits; the parent then receives all 100,000 messages.

fn child(parent :: Pid, i :: Int) -> () do
  send(parent, i)
end

fn spawn_children(parent :: Pid, i :: Int) -> Int do
  if i == 0 do
    0
  else
    spawn(child, parent, i)
    spawn_children(parent, i - 1)
  end
end

actor parent(n :: Int, left :: Int, got :: Int) do
  if n > 0 do
    spawn_children(self(), n)
    parent(0, left, got)
  else
    if left == 0 do
      println("received ${got}")
    else
      receive do
        _ -> parent(0, left - 1, got + 1)
      end
    end
  end
end

fn main() do
  spawn(parent, 100000, 100000, 0)
end
