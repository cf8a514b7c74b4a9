import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Runs an `APIResponder` as a Hummingbird application on a host and port.
///
///     let responder = APIResponder(routes: service.routes(authenticator: auth), errorBody: Schemas.Error.self, logger: logger)
///     try await APIServer.application(responder: responder, host: "127.0.0.1", port: 8080, logger: logger).runService()
public enum APIServer {
    /// An application ready to `runService()` (SIGINT/SIGTERM shut it down
    /// gracefully). `onRunning` receives the bound port (useful with port 0).
    public static func application(
        responder: APIResponder,
        host: String,
        port: Int,
        logger: Logger,
        services: [any Service] = [],
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<APIResponder> {
        var quiet = logger
        // Hummingbird's own lines (start-up) at notice and above; requests
        // are logged once each by the responder.
        quiet.logLevel = max(logger.logLevel, .notice)
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: quiet
        )
    }
}
