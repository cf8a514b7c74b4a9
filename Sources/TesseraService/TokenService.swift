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

    public func getHealth(_ input: Operations.GetHealth.Input, context: OperationContext<Caller>) async throws(Operations.GetHealth.Failure) -> Operations.GetHealth.Output {
        .ok(Schemas.Health(status: .ok))
    }

    /// `GET /readyz`: the database answers and, on PostgreSQL, this
    /// instance's invalidation channel is up and its lease current.
    public func getReadiness(_ input: Operations.GetReadiness.Input, context: OperationContext<Caller>) async throws(Operations.GetReadiness.Failure) -> Operations.GetReadiness.Output {
        if let instance, !instance.isReady {
            throw .serviceUnavailable("This instance cannot prove its verification cache current (invalidation channel or lease lost).")
        }
        do {
            _ = try await store.settings()
        } catch {
            throw .serviceUnavailable("The database cannot be reached.")
        }
        return .ok(Schemas.Health(status: .ok))
    }

    /// `GET /metrics`: every metric in Prometheus's text format. The gauges
    /// read from state (cache size, lease) are set here, at scrape time, so
    /// requests never pay for them.
    public func getMetrics(_ input: Operations.GetMetrics.Input, context: OperationContext<Caller>) async throws(Operations.GetMetrics.Failure) -> Operations.GetMetrics.Output {
        metrics.cacheEntries.record(verifier.count)
        if let instance { metrics.leaseCurrent?.record(instance.lease.isCurrent ? 1 : 0) }
        return .ok(exposition?() ?? [], contentType: Self.metricsContentType)
    }

    /// Prometheus's text exposition format, version 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    public func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input, context: OperationContext<Caller>) async throws(Operations.GetOpenAPIDocument.Failure) -> Operations.GetOpenAPIDocument.Output {
        .ok(Self.document, contentType: "application/yaml")
    }

    /// The spec this server was generated from, byte for byte.
    static let document = Array(APIDescription.document.utf8)
}

// MARK: Shared rules

// Each rule takes the operation's input only to know its `Failure` type:
// a rule throws the failures the operations using it all document.

extension TokenService {
    /// The caller admitted by the route's security (every operation that
    /// calls this requires a token, so a missing one is a fault).
    func caller<I: OperationInput>(_ context: OperationContext<Caller>, for input: I) throws(I.Failure) -> Caller {
        guard let caller = context.principal else {
            throw .unexpected(MissingCaller())
        }
        return caller
    }

    /// The route's security admitted a request without a principal.
    struct MissingCaller: Error {}

    func actor(_ caller: Caller, _ context: OperationContext<Caller>) -> EventActor {
        caller.actor(ipAddress: context.clientAddress)
    }

    /// A page request from the `cursor` and `page_size` parameters; a cursor
    /// no Tessera page produced is a 400 naming `cursor`.
    func pageRequest<I: OperationInput>(cursor: String?, size: Int, for input: I) throws(I.Failure) -> PageRequest where I.Failure: Failures.BadRequest {
        guard let cursor else { return PageRequest(cursor: nil, size: size) }
        guard let parsed = PageCursor(text: cursor) else {
            throw .field("cursor", "is not a cursor from a previous page")
        }
        return PageRequest(cursor: parsed, size: size)
    }

    /// A token the caller may see: their own, or any for an admin. Others
    /// are "not found", so a token's existence does not leak.
    func visibleToken<I: OperationInput>(_ id: UUID, to caller: Caller, for input: I) async throws(I.Failure) -> TokenRecord where I.Failure: Failures.NotFound {
        guard let token = try await translatingStoreErrors(for: input, { try await store.token(id: id) }),
              caller.isAdmin || token.userID == caller.user.id else {
            throw .notFound("There is no token \(id.text).")
        }
        return token
    }

    /// After a revocation committed (and this instance forgot it): on
    /// PostgreSQL, waits until every other live instance has applied it
    /// too (`PostgresInstance.awaitPeers`), so no instance accepts the old
    /// secret once this answers. A database failure here is a 503.
    func peersCaughtUp<I: OperationInput>(for input: I) async throws(I.Failure) where I.Failure: Failures.ServiceUnavailable {
        guard let instance else { return }
        do {
            let started = ContinuousClock.now
            try await instance.awaitPeers()
            metrics.invalidationRoundTrip?.record(duration: ContinuousClock.now - started)
        } catch {
            throw .serviceUnavailable("The change was saved, but other instances could not be confirmed to have applied it; try again shortly.")
        }
    }

    /// Runs a store call for an operation: a `StoreError` that `answering`
    /// maps becomes that answer (a status the operation documents);
    /// anything else is unexpected (500, or 503 when the database cannot
    /// be reached). The one place a store's failure becomes an answer.
    func translatingStoreErrors<I: OperationInput, T>(
        for input: I,
        answering: (StoreError) -> I.Failure? = { _ in nil },
        _ body: () async throws -> T
    ) async throws(I.Failure) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw answering(error) ?? .unexpected(error)
        } catch {
            throw .unexpected(error)
        }
    }
}

extension TokenService {
    /// For `translatingStoreErrors(answering:)`: `answer` when the row is
    /// gone (`StoreError.notFound`), nothing else.
    static func onNotFound<F: OperationFailure>(_ answer: F) -> (StoreError) -> F? {
        { $0 == .notFound ? answer : nil }
    }
}

extension StoreError {
    /// What an answer to this failure says.
    var message: String {
        switch self {
        case .duplicate(let field): "A user with this \(field) already exists."
        case .liveKeyLimit(let limit): "This service user already has \(limit) live keys; delete one (or let it expire) first."
        case .notFound: "Not found."
        case .userUnavailable: "The user is unknown or deactivated."
        case .lastActiveAdmin: "This is the last active admin; make another admin first."
        case .corrupt(let detail): "The database holds a value the schema does not allow (\(detail))."
        case .changedConcurrently: "The token changed while this request ran (another regeneration won); read it again before retrying."
        }
    }
}

extension Failures.BadRequest {
    /// A 400 naming one field.
    static func field(_ name: String, _ problem: String) -> Self {
        .badRequest("The request is not valid: \(name) \(problem).", fieldErrors: [FieldError(field: name, message: problem)])
    }
}

extension APIError {
    /// The `WWW-Authenticate` value of every 401 (PRODUCT.md §4).
    static let invalidTokenChallenge = #"Bearer error="invalid_token""#

    /// The message of every 401 (PRODUCT.md §5).
    static let invalidCredentialsMessage = "Invalid or expired authentication token"
}
