import Foundation
import TesseraStore

/// The service's notion of now, in milliseconds. Tests of expiry run the
/// real server with real time, so this is only a seam, not a fake.
public struct TesseraClock: Sendable {
    public init() {}
    public func now() -> Milliseconds { Date().milliseconds }
}
