fn fact(0) = 1
fn fact(n) = n * fact(n - 1)

fn sign(n) when n < 0 = "neg"
fn sign(0) = "zero"
fn sign(_) = "pos"

fn both(true, true) = "TT"
fn both(a, b) when a == b = "FF"
fn both(_, _) = "mixed"

fn grade(score :: Int) -> String do
  if score >= 90 do
    "A"
  else if score >= 75 do
    "B"
  else
    "C"
  end
end

fn main() do
  println("${fact(10)} ${sign(-4)} ${sign(0)} ${sign(9)}")
  println("${both(true, true)} ${both(false, false)} ${both(true, false)}")
  let parity = if 7 % 2 == 0 do "even" else "odd" end
  println("${grade(95)}${grade(80)}${grade(3)} ${parity}")
end
