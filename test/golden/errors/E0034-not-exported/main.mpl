from Util import missing

fn main() do
  println("${missing()}")
end
