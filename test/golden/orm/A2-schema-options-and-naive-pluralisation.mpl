pub struct Person do
  table "people"
  primary_key :pid
  timestamps true
  pid :: Int
  name :: String
  has_many :addresses, Address
end deriving(Schema, Json)

struct Category do
  id :: Int
end deriving(Schema)

fn main() do
  println(Person.__table__() <> " " <> Person.__primary_key__())
  println("${Person.__fields__()}")
  println("${Person.__field_types__()}")
  println("${Person.__relationship_meta__()}")
  println(Category.__table__())
  println(Json.encode(Person { pid: 7, name: "Ada" }))
end
