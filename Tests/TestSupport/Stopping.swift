/// Runs `body` with `resource`, then `stop`s the resource whether `body` returned or threw:
/// a test's servers and files never outlive it.
public func stopping<Resource>(_ resource: Resource, with stop: (Resource) async -> Void,
                               _ body: (Resource) async throws -> Void) async throws {
    do {
        try await body(resource)
    } catch {
        await stop(resource)
        throw error
    }
    await stop(resource)
}
