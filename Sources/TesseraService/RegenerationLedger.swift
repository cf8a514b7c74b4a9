import Foundation
import Synchronization

/// This process's regenerations, by token: the stamp each one wrote and
/// when it was answered. With it, a regeneration that arrived while
/// another one of the same token was still being answered loses, even when
/// it reads the token after the other committed (a commit's stamp is taken
/// before its commit, and the answer comes after it).
///
/// Only an aid: the database's conditions decide across instances (the
/// secret read, and `secret_changed_at` against the arrival); this closes
/// the window of one commit on the instance that answered the other.
final class RegenerationLedger: Sendable {
    struct Entry {
        var stamp: Int64
        /// When its response was made (microseconds); nil while in flight.
        var answeredAt: Int64?
    }

    private let entries = Mutex<[UUID: Entry]>([:])
    /// Entries answered longer ago than this are dropped when the ledger grows.
    static let memory: Int64 = 60_000_000
    static let maximum = 10_000

    /// Records a change of token `id` stamped `stamp`, inside its transaction.
    func stamping(_ id: UUID, stamp: Int64) {
        entries.withLock { entries in
            if entries.count >= Self.maximum, entries[id] == nil {
                let horizon = stamp - Self.memory
                entries = entries.filter { ($0.value.answeredAt ?? Int64.max) > horizon }
                if entries.count >= Self.maximum { entries.removeAll() }
            }
            entries[id] = Entry(stamp: stamp, answeredAt: nil)
        }
    }

    /// The change of token `id` this process committed is answered now
    /// (there is at most one unanswered: any other would have lost to it).
    func answered(_ id: UUID, at time: Int64) {
        entries.withLock { entries in
            if entries[id] != nil, entries[id]?.answeredAt == nil { entries[id]?.answeredAt = time }
        }
    }

    /// Whether the change of token `id` stamped `stamp` was still unanswered
    /// at `began`; false when this process did not make it.
    func overlaps(_ id: UUID, stamp: Int64, began: Int64) -> Bool {
        entries.withLock { entries in
            guard let entry = entries[id], entry.stamp == stamp else { return false }
            guard let answeredAt = entry.answeredAt else { return true }
            return answeredAt >= began
        }
    }
}
