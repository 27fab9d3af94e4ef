// The test cluster (`PostgresServer`) lives in a target of its own, which shroff-bench shares;
// every test reaches it through TestSupport, as before.
@_exported import ThrowawayPostgres
