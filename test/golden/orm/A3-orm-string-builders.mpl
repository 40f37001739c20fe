fn main() do
  println(Orm.build_select("users", ["id", "name"], ["name =", "age >", "deleted_at IS NULL", "org_id"], ["name", "age desc"], 10, 0))
  println(Orm.build_select("my\"t", [], [], [], -1, -1))
  println(Orm.build_insert("users", ["name", "email"], ["*"]))
  println(Orm.build_insert("users", ["name"], []))
  println(Orm.build_update("users", ["name", "email"], ["id =", "version <"], ["id", "name"]))
  println(Orm.build_delete("sessions", ["expires_at <"], ["token"]))
end
