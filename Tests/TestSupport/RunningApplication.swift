import HTTPTestClient
import Hummingbird
import Logging
import ServiceLifecycle

/// The application stopped before it listened on a port.
public struct ServerDidNotStart: Error {}

/// Runs an application on 127.0.0.1, port 0, in this process; once it is
/// listening, hands `body` a client for the port it bound, then shuts the
/// application down gracefully.
public func withRunningApplication<App: ApplicationProtocol>(
    logger: Logger,
    _ makeApplication: (_ onRunning: @escaping @Sendable (Int) async -> Void) -> App,
    _ body: @Sendable (LoopbackClient) async throws -> Void
) async throws {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = makeApplication { port in
        portContinuation.yield(port)
        portContinuation.finish()
    }
    let serviceGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await group.waitForAll()  // why it stopped, if it threw
            throw ServerDidNotStart()
        }
        do {
            try await body(LoopbackClient(port: port, timeout: 20))
        } catch {
            await serviceGroup.triggerGracefulShutdown()
            throw error
        }
        await serviceGroup.triggerGracefulShutdown()
        try await group.waitForAll()
    }
}
