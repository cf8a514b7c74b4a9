import APIServer
import Synchronization
import TesseraStore

/// Throttles failed authentication per client address (PRODUCT.md §4).
///
/// Every 401 answered to a request that presented a credential counts
/// against the client's address (the peer, or a trusted proxy's
/// `X-Forwarded-For`); one that presented none guessed nothing. An address that reaches `limit` failures
/// within `window` of its first one is blocked until that window ends:
/// every request from it that presents a credential (an `Authorization`
/// header, or a secret in the body of `POST /auth/token`) gets 429
/// `too_many_requests` with `Retry-After`, without the credential being
/// looked at, so a blocked address learns nothing about its guesses. Other
/// addresses are never slowed, and requests that present no credential are
/// answered as usual.
///
/// Cheap when nobody is blocked: a request reads one atomic and the clock;
/// a client's address is made into text only for a 401, or while some
/// address is blocked. At most `maxClients` addresses are tracked (about
/// 100 bytes each); past that, windows that ended are dropped first.
final class AuthenticationThrottle: APIRequestGate {
    struct Limits: Sendable {
        /// Failed authentications an address may make within `window`.
        var failures = 1_000
        var window: Milliseconds = 60_000
        var maxClients = 100_000
    }

    struct Window {
        var start: Milliseconds
        var failures: Int
    }

    let limits: Limits
    let clock: TesseraClock
    /// Operations that take a secret in their body instead of a header.
    let bodyCredentialOperations: Set<String>
    /// Operations whose every answer counts as a failure (one that must not
    /// tell a hit from a miss, such as revoking a presented secret). An
    /// array: every answer checks it, and one string comparison is cheaper
    /// than hashing the operation id.
    let countedOperations: [String]
    /// Counts each refusal (`throttled`).
    let metrics: ServiceMetrics?
    private let windows = Mutex<[String: Window]>([:])
    /// The latest time until which some address is blocked.
    private let blockedUntil = Atomic<Int64>(0)

    init(limits: Limits, clock: TesseraClock, bodyCredentialOperations: Set<String>, countedOperations: [String] = [],
         metrics: ServiceMetrics? = nil) {
        self.metrics = metrics
        self.limits = limits
        self.clock = clock
        self.bodyCredentialOperations = bodyCredentialOperations
        self.countedOperations = countedOperations
    }

    func refusal(of request: APIRequest, operationID: String) -> APIError? {
        let now = clock.now()
        guard now < blockedUntil.load(ordering: .relaxed) else { return nil }
        guard presentsCredential(request, operationID: operationID), let address = request.clientAddress else { return nil }
        let until: Milliseconds? = windows.withLock { windows in
            guard let window = windows[address], window.failures >= limits.failures else { return nil }
            let end = window.start + limits.window
            return end > now ? end : nil
        }
        guard let until else { return nil }
        let seconds = max(1, (until - now + 999) / 1000)
        metrics?.authenticationFailed(.throttled)
        return APIError(
            .tooManyRequests,
            "Too many failed authentications from this address; try again in \(seconds) s.",
            headers: [(name: "Retry-After", value: String(seconds))]
        )
    }

    /// Counts a 401 for a request that presented a credential: a guess. A
    /// request that sent none guesses nothing, so it does not count.
    func answered(_ request: APIRequest, operationID: String, status: Int) {
        guard status == 401 || countedOperations.contains(operationID), presentsCredential(request, operationID: operationID),
              let address = request.clientAddress else { return }
        recordFailure(from: address, at: clock.now())
    }

    func presentsCredential(_ request: APIRequest, operationID: String) -> Bool {
        request.request.headers[.authorization] != nil || bodyCredentialOperations.contains(operationID)
    }

    func recordFailure(from address: String, at now: Milliseconds) {
        let blockedEnd: Milliseconds? = windows.withLock { windows in
            var window = windows[address] ?? Window(start: now, failures: 0)
            if now >= window.start + limits.window {
                window = Window(start: now, failures: 0)
            }
            window.failures += 1
            if windows[address] == nil, windows.count >= limits.maxClients {
                makeRoom(in: &windows, now: now)
            }
            windows[address] = window
            return window.failures >= limits.failures ? window.start + limits.window : nil
        }
        if let blockedEnd {
            var current = blockedUntil.load(ordering: .relaxed)
            while current < blockedEnd {
                let (exchanged, original) = blockedUntil.compareExchange(expected: current, desired: blockedEnd, ordering: .relaxed)
                if exchanged { break }
                current = original
            }
        }
    }

    /// Drops the windows that ended; if that frees less than a tenth of
    /// the room, a tenth of the others too (arbitrary ones), so that many
    /// new addresses cost one pass over the table per tenth, not per address.
    private func makeRoom(in windows: inout [String: Window], now: Milliseconds) {
        windows = windows.filter { now < $0.value.start + limits.window }
        let tenth = max(1, limits.maxClients / 10)
        let excess = windows.count - (limits.maxClients - tenth)
        if excess > 0 {
            for key in Array(windows.keys.prefix(excess)) { windows[key] = nil }
        }
    }
}
