import Foundation
import TesseraAPI
import TesseraStore

extension TokenService {
    public func getSettings(_ input: Operations.GetSettings.Input, context: OperationContext<Caller>) async throws(Operations.GetSettings.Failure) -> Operations.GetSettings.Output {
        .ok(settings(try await translatingStoreErrors(for: input) { try await store.settings() }))
    }

    /// A JSON merge patch: an absent field is unchanged, `null` clears
    /// `max_token_lifetime_days` and `event_retention_days` (null for the others is refused by the
    /// schema with a 400 before this runs).
    public func updateSettings(_ input: Operations.UpdateSettings.Input, context: OperationContext<Caller>) async throws(Operations.UpdateSettings.Failure) -> Operations.UpdateSettings.Output {
        let caller = try caller(context, for: input)
        let patch = input.body
        let record = try await translatingStoreErrors(for: input) {
            try await store.updateSettings(actor: actor(caller, context), at: clock.now()) { settings in
                if let allow = patch.allowAllUsersToCreatePats { settings.allowAllUsersToCreatePATs = allow }
                if let days = patch.maxTokenLifetimeDays { settings.maxTokenLifetimeDays = days }
                if let ttl = patch.accessTokenTtlSeconds { settings.accessTokenTTLSeconds = ttl }
                if let days = patch.eventRetentionDays { settings.eventRetentionDays = days }
            }
        }
        return .ok(settings(record))
    }
}
