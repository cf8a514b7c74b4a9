import NIOCore
import Synchronization

/// Every open connection of a server, for the cap on open connections: a
/// connection beyond the cap makes room by closing the connection idle
/// longest, else the one that has waited longest for a request's head.
final class ConnectionRegistry: Sendable {
    let capacity: Int
    private let open = Mutex<[ObjectIdentifier: ConnectionActivity]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { open.withLock { $0.count } }

    /// Registers a new connection; over the cap, closes another to make
    /// room. False when there is none to shed (every connection has a
    /// request in progress): the caller closes the new connection.
    func admit(_ connection: ConnectionActivity) -> Bool {
        let victim: ConnectionActivity? = open.withLock { open in
            open[ObjectIdentifier(connection)] = connection
            guard open.count > capacity else { return nil }
            // The scan runs only over the cap, so the normal path stays O(1).
            var best: (activity: ConnectionActivity, rank: UInt64)?
            for candidate in open.values where candidate !== connection {
                guard let rank = candidate.sheddingRank else { continue }
                if best == nil || rank < best!.rank { best = (candidate, rank) }
            }
            guard let best else {
                open[ObjectIdentifier(connection)] = nil
                return connection
            }
            open[ObjectIdentifier(best.activity)] = nil
            return best.activity
        }
        guard let victim else { return true }
        victim.channel.close(promise: nil)
        return victim !== connection
    }

    /// Forgets a closed connection.
    func remove(_ connection: ConnectionActivity) {
        _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }
}

/// What one connection is doing, as the registry sees it: written by the
/// connection's own handler on its event loop (an atomic store per phase
/// change, no lock), read by the registry when it has to shed one.
final class ConnectionActivity: Sendable {
    enum Phase: UInt64 {
        /// No request in progress (just opened, or between requests).
        case idle = 0
        /// Some bytes of a request's head have arrived, not all of it.
        case readingHead = 1
        /// A request is being read or answered: never shed.
        case busy = 2
    }

    let channel: any Channel
    /// `milliseconds since boot << 2 | phase`.
    private let state: Atomic<UInt64>

    init(channel: any Channel, now: NIODeadline) {
        self.channel = channel
        state = Atomic(Self.word(.idle, since: now))
    }

    func enter(_ phase: Phase, at now: NIODeadline) {
        state.store(Self.word(phase, since: now), ordering: .relaxed)
    }

    /// Lower sheds first: every idle connection (oldest first) before any
    /// connection reading a head (oldest first); nil for busy ones.
    var sheddingRank: UInt64? {
        let word = state.load(ordering: .relaxed)
        switch Phase(rawValue: word & 3) {
        case .idle: return word >> 2
        case .readingHead: return (1 << 62) | (word >> 2)
        case .busy, nil: return nil
        }
    }

    private static func word(_ phase: Phase, since: NIODeadline) -> UInt64 {
        (since.uptimeNanoseconds / 1_000_000) << 2 | phase.rawValue
    }
}
