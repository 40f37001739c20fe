# UserService: the node's service for users and sessions. It holds the database pool; the HTTP handlers of
# mesher/api run their statements through the same pool (PipelineRegistry.get_pool).

service UserService do
  fn init(pool :: PoolHandle) -> PoolHandle do
    pool
  end

  call Pool() :: PoolHandle do |pool|
    (pool, pool)
  end

  call Ping() :: Bool do |pool|
    (pool, true)
  end
end
