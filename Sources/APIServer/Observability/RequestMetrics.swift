import Metrics
import Synchronization

/// Requests answered, by operation and status, and their latency, by
/// operation, through swift-metrics (whatever backend the executable
/// bootstrapped; none means no-ops):
///
/// - `<prefix>_http_requests_total{operation, status}`: a counter.
/// - `<prefix>_http_request_duration_seconds{operation}`: a timer
///   (a histogram with a Prometheus backend).
///
/// `operation` is the spec's operationId, never the request's path, so ids
/// in paths cannot multiply the series; requests no route matched (404,
/// 405, and requests the HTTP parser refused) share `unmatched`. An
/// operation's timer is made when it first answers, and a counter when it
/// first answers with its status; both are then reused, so a request
/// costs a small lock and dictionary lookup, one atomic increment and one
/// histogram observation, with no allocation.
public final class RequestMetrics: Sendable {
    /// The `operation` of requests that reached no operation.
    public static let unmatchedOperation = "unmatched"

    /// One operation's timer and its counters by status, each made the
    /// first time it is needed (an operation never called adds no series).
    final class Operation: Sendable {
        struct Made {
            var duration: Metrics.Timer?
            var counters: [Int: Counter] = [:]
        }

        let name: String
        let prefix: String
        private let made = Mutex(Made())

        init(name: String, prefix: String) {
            self.name = name
            self.prefix = prefix
        }

        func record(status: Int, elapsed: Duration) {
            let (counter, duration) = made.withLock { made in
                let duration = made.duration ?? Metrics.Timer(
                    label: "\(prefix)_http_request_duration_seconds", dimensions: [("operation", name)]
                )
                made.duration = duration
                if let counter = made.counters[status] { return (counter, duration) }
                let counter = Counter(label: "\(prefix)_http_requests_total", dimensions: [("operation", name), ("status", String(status))])
                made.counters[status] = counter
                return (counter, duration)
            }
            counter.increment()
            duration.record(duration: elapsed)
        }
    }

    let prefix: String
    let unmatched: Operation

    /// Metric names start with `prefix` (`tessera`).
    public init(prefix: String) {
        self.prefix = prefix
        unmatched = Operation(name: Self.unmatchedOperation, prefix: prefix)
    }

    func operation(_ id: String) -> Operation {
        Operation(name: id, prefix: prefix)
    }
}
