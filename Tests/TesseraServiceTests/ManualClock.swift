import Foundation
import Synchronization
import TesseraStore

/// A clock that stands still until a test moves it, so rules that depend on
/// time (expiry, lifetimes) are checked at exact instants, however slow the
/// machine.
final class ManualClock: Sendable {
    private let current: Mutex<Milliseconds>

    /// A clock stopped at `start` (now, by default, so timestamps look real).
    init(start: Milliseconds = Date().milliseconds) {
        current = Mutex(start)
    }

    /// The time the clock shows.
    var now: Milliseconds { current.withLock { $0 } }

    /// The time as a `Date`.
    var date: Date { Date(timeIntervalSince1970: Double(now) / 1000) }

    /// Moves the clock forward by `milliseconds`.
    func advance(milliseconds: Milliseconds) {
        current.withLock { $0 += milliseconds }
    }

    /// The service's view of this clock.
    var tesseraClock: TesseraClock { TesseraClock { [self] in now } }
}
