# Spawn benchmark: the parent actor spawns 100,000 processes from its own loop (a continuation
# call per spawn, so it is preempted every 4000 reductions and the children run meanwhile); each
# child sends its number to the parent and exits; the parent receives all 100,000 messages.

fn child(parent :: Pid, i :: Int) -> () do
  send(parent, i)
end

actor parent(i :: Int, left :: Int, got :: Int) do
  if i > 0 do
    spawn(child, self(), i)
    parent(i - 1, left, got)
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
