// The ORM layer's public entry (orm.md): the Query, Orm, Repo, Changeset and Migration modules as
// generated code sees them (`lib.Query.where(...)`). Query rendering and changesets are pure;
// Repo and Migration run SQL through runtime/db's Pool.
import { builders } from "./query.js";
export { Query } from "./query.js";
export { Changeset, Changeset_ } from "./changeset.js";
export { Orm_ } from "./orm-builders.js";
export { Repo_ } from "./repo.js";
export { Migration_ } from "./migration.js";
export const Query_ = builders;
