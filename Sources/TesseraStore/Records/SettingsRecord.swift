/// The organization's settings.
public struct SettingsRecord: Sendable, Equatable {
    public var allowAllUsersToCreatePATs: Bool
    public var maxTokenLifetimeDays: Int?
    public var accessTokenTTLSeconds: Int
    /// How long events are kept; nil keeps them all.
    public var eventRetentionDays: Int?

    public init(allowAllUsersToCreatePATs: Bool = false, maxTokenLifetimeDays: Int? = nil, accessTokenTTLSeconds: Int = 3600,
                eventRetentionDays: Int? = 400) {
        self.allowAllUsersToCreatePATs = allowAllUsersToCreatePATs
        self.maxTokenLifetimeDays = maxTokenLifetimeDays
        self.accessTokenTTLSeconds = accessTokenTTLSeconds
        self.eventRetentionDays = eventRetentionDays
    }
}
