import Foundation
import Metrics
import TesseraAPI
import TesseraCore
import TesseraPostgres
import TesseraStore

/// Tessera's API: the generated `APIProtocol`, implemented over the store.
///
/// Who may call an operation at all (a valid token, the `admin` and `write`
/// scopes) is declared in openapi.yaml and enforced by the generated routes
/// before any of this runs; what remains here are the rules that depend on
/// the data: ownership (a token that is not the caller's is a 404, so
/// existence does not leak), the members-may-create-tokens setting, the
/// lifetime limit, and the live-key limit.
public struct TokenService: APIProtocol {
    public typealias Principal = Caller

    let store: any TokenStore
    let verifier: TokenVerifier
    let lastUsed: LastUsedRecorder
    let clock: TesseraClock
    /// This instance among others on PostgreSQL; nil on SQLite.
    let instance: PostgresInstance?
    /// The keys GitHub signs secret-scanning reports with.
    let secretScanningKeys: SecretScanningKeys
    /// The metrics backend's text for `GET /metrics` (nil: none was set up).
    let exposition: (@Sendable () -> [UInt8])?
    var metrics: ServiceMetrics { verifier.metrics }

    let regenerations = RegenerationLedger()

    init(store: any TokenStore, verifier: TokenVerifier, lastUsed: LastUsedRecorder, clock: TesseraClock,
         instance: PostgresInstance? = nil, secretScanningKeys: SecretScanningKeys = SecretScanningKeys(path: nil),
         exposition: (@Sendable () -> [UInt8])? = nil) {
        self.instance = instance
        self.secretScanningKeys = secretScanningKeys
        self.exposition = exposition
        self.store = store
        self.verifier = verifier
        self.lastUsed = lastUsed
        self.clock = clock
    }

    public func getHealth(_ input: Operations.GetHealth.Input, context: OperationContext<Caller>) async throws -> Operations.GetHealth.Output {
        .ok(Schemas.Health(status: .ok))
    }

    /// `GET /readyz`: the database answers and, on PostgreSQL, this
    /// instance's invalidation channel is up and its lease current.
    public func getReadiness(_ input: Operations.GetReadiness.Input, context: OperationContext<Caller>) async throws -> Operations.GetReadiness.Output {
        if let instance, !instance.isReady {
            throw APIError(.serviceUnavailable, "This instance cannot prove its verification cache current (invalidation channel or lease lost).")
        }
        do {
            _ = try await store.settings()
        } catch {
            throw APIError(.serviceUnavailable, "The database cannot be reached.")
        }
        return .ok(Schemas.Health(status: .ok))
    }

    /// `GET /metrics`: every metric in Prometheus's text format. The gauges
    /// read from state (cache size, lease) are set here, at scrape time, so
    /// requests never pay for them.
    public func getMetrics(_ input: Operations.GetMetrics.Input, context: OperationContext<Caller>) async throws -> Operations.GetMetrics.Output {
        metrics.cacheEntries.record(verifier.count)
        if let instance { metrics.leaseCurrent?.record(instance.lease.isCurrent ? 1 : 0) }
        return .ok(exposition?() ?? [], contentType: Self.metricsContentType)
    }

    /// Prometheus's text exposition format, version 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    public func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input, context: OperationContext<Caller>) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(Self.document, contentType: "application/yaml")
    }

    /// The spec this server was generated from, byte for byte.
    static let document = Array(APIDescription.document.utf8)
}

// MARK: Shared rules

extension TokenService {
    /// The caller admitted by the route's security (every operation that
    /// calls this requires a token).
    func caller(_ context: OperationContext<Caller>) throws -> Caller {
        guard let caller = context.principal else {
            throw APIError.invalidToken
        }
        return caller
    }

    func actor(_ caller: Caller, _ context: OperationContext<Caller>) -> EventActor {
        caller.actor(ipAddress: context.clientAddress)
    }

    /// A page request from the `cursor` and `page_size` parameters; a cursor
    /// no Tessera page produced is a 400 naming `cursor`.
    func pageRequest(cursor: String?, size: Int) throws -> PageRequest {
        guard let cursor else { return PageRequest(cursor: nil, size: size) }
        guard let parsed = PageCursor(text: cursor) else {
            throw APIError.field("cursor", "is not a cursor from a previous page")
        }
        return PageRequest(cursor: parsed, size: size)
    }

    /// A token the caller may see: their own, or any for an admin. Others
    /// are "not found", so a token's existence does not leak.
    func visibleToken(_ id: UUID, to caller: Caller) async throws -> TokenRecord {
        guard let token = try await store.token(id: id),
              caller.isAdmin || token.userID == caller.user.id else {
            throw APIError(.notFound, "There is no token \(id.text).")
        }
        return token
    }

    func storeFailure(_ error: StoreError) -> APIError {
        switch error {
        case .duplicate(let field): APIError(.conflict, "A user with this \(field) already exists.")
        case .liveKeyLimit(let limit): APIError(.conflict, "This service user already has \(limit) live keys; delete one (or let it expire) first.")
        case .notFound: APIError(.notFound, "Not found.")
        case .userUnavailable: APIError(.unprocessableEntity, "The user is unknown or deactivated.")
        case .lastActiveAdmin: APIError(.unprocessableEntity, "This is the last active admin; make another admin first.")
        case .corrupt(let detail): APIError(.serverError, "The database holds a value the schema does not allow (\(detail)).")
        case .changedConcurrently: APIError(.conflict, "The token changed while this request ran (another regeneration won); read it again before retrying.")
        }
    }

    /// After a revocation committed (and this instance forgot it): on
    /// PostgreSQL, waits until every other live instance has applied it
    /// too (`PostgresInstance.awaitPeers`), so no instance accepts the old
    /// secret once this answers. A database failure here is a 503.
    func peersCaughtUp() async throws {
        guard let instance else { return }
        do {
            let started = ContinuousClock.now
            try await instance.awaitPeers()
            metrics.invalidationRoundTrip?.record(duration: ContinuousClock.now - started)
        } catch {
            throw APIError(.serviceUnavailable, "The change was saved, but other instances could not be confirmed to have applied it; try again shortly.")
        }
    }

    /// Runs a store call, turning its failures into published errors (the
    /// one place a `StoreError` becomes one); `notFound`, when given,
    /// replaces the generic 404 with one that names what is missing.
    func translatingStoreErrors<T>(notFound: @autoclosure () -> APIError? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch StoreError.notFound {
            throw notFound() ?? storeFailure(.notFound)
        } catch let error as StoreError {
            throw storeFailure(error)
        }
    }
}

extension APIError {
    /// The `WWW-Authenticate` value of every 401 (PRODUCT.md §4).
    static let invalidTokenChallenge = #"Bearer error="invalid_token""#

    /// The message of every 401 (PRODUCT.md §5).
    static let invalidCredentialsMessage = "Invalid or expired authentication token"

    /// The 401 the generated routes also answer for bad credentials.
    static var invalidToken: APIError {
        APIError(.unauthorized, invalidCredentialsMessage, headers: [(name: "WWW-Authenticate", value: invalidTokenChallenge)])
    }

    /// A 400 naming one field.
    static func field(_ name: String, _ problem: String) -> APIError {
        APIError(.badRequest, "The request is not valid: \(name) \(problem).", fieldErrors: [FieldError(field: name, message: problem)])
    }
}
