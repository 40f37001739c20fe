struct BlogPost do
  id :: String
  title :: String
  views :: Int
  rating :: Float
  published :: Bool
  author_id :: String
  summary :: Option<String>
  belongs_to :author, Writer
  has_many :comments, Comment
  has_one :cover, Image
end deriving(Schema)

fn main() do
  println(BlogPost.__table__())
  println(BlogPost.__primary_key__())
  println("${BlogPost.__fields__()}")
  println("${BlogPost.__field_types__()}")
  println("${BlogPost.__relationships__()}")
  println("${BlogPost.__relationship_meta__()}")
  println(BlogPost.__views_col__() <> "," <> BlogPost.__author_id_col__())
end
