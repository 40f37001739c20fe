# Organisation membership roles (mesher.md §4.7): owner, admin, member.

pub type Role do
  Owner
  Admin
  Member
end

pub fn parse_role(text :: String) -> Option<Role> do
  case text do
    "owner" -> Some(Owner)
    "admin" -> Some(Admin)
    "member" -> Some(Member)
    _ -> None
  end
end

pub fn role_name(role :: Role) -> String do
  case role do
    Owner -> "owner"
    Admin -> "admin"
    Member -> "member"
  end
end
