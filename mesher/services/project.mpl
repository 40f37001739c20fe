# ProjectService: the node's service for projects and API keys. It holds the database pool; the HTTP handlers of
# mesher/api run their statements through the same pool (PipelineRegistry.get_pool).

service ProjectService do
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
