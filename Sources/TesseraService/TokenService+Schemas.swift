import Foundation
import TesseraAPI
import TesseraStore

/// Store records → the published schemas.
extension TokenService {
    func token(_ record: TokenRecord) -> Schemas.Token {
        let pending = lastUsed.pending(record.id)
        return Self.token(record, recentUse: pending.time, recentIPs: pending.addresses, now: clock.now())
    }

    /// A token as published; `last_used_at` is the later of the stored time
    /// and `recentUse` (the in-memory one, not yet flushed), `last_used_ips`
    /// the stored list behind `recentIPs` (addresses seen in memory, not
    /// yet flushed), and a grace period shows only while it runs at `now`.
    static func token(_ record: TokenRecord, recentUse: Milliseconds?, recentIPs: [String] = [], now: Milliseconds) -> Schemas.Token {
        Schemas.Token(
            tokenID: record.id,
            createdAt: Date(milliseconds: record.createdAt),
            tokenLabel: record.label,
            creatorUserID: record.creatorUserID,
            userID: record.userID,
            lastUsedAt: .some(lastUsedAt(stored: record.lastUsedAt, recent: recentUse)),
            accessLevel: record.accessLevel == .fullAccess ? .fullAccess : .readOnly,
            expiresAt: .some(record.expiresAt.map(Date.init(milliseconds:))),
            tokenPreview: record.preview,
            previousSecretExpiresAt: .some(previousSecretExpiresAt(record, now: now)),
            lastUsedIps: recentIPs.isEmpty ? record.lastUsedIPs : LastUsedIPs.merge(recentIPs, record.lastUsedIPs)
        )
    }

    /// When the token's previous secret stops working, while it still works.
    static func previousSecretExpiresAt(_ record: TokenRecord, now: Milliseconds) -> Date? {
        record.previousSecretExpiresAt.flatMap { $0 > now ? Date(milliseconds: $0) : nil }
    }

    /// The later of a token's stored `last_used_at` and its in-memory use.
    static func lastUsedAt(stored: Milliseconds?, recent: Milliseconds?) -> Date? {
        let used = max(stored ?? 0, recent ?? 0)
        return used > 0 ? Date(milliseconds: used) : nil
    }

    /// Who a caller is, as `GET /self` shows it.
    static func identity(_ user: UserRecord) -> Schemas.Identity {
        Schemas.Identity(
            userID: user.id,
            type: user.kind == .serviceUser ? .serviceUser : .user,
            role: role(user.role),
            name: user.name,
            email: user.email
        )
    }

    func user(_ record: UserRecord) -> Schemas.User {
        Schemas.User(
            userID: record.id,
            email: record.email ?? "",
            fullName: record.name,
            firstName: record.firstName,
            lastName: record.lastName,
            position: record.position,
            role: Self.role(record.role),
            createdAt: Date(milliseconds: record.createdAt),
            deactivatedAt: .some(record.deactivatedAt.map(Date.init(milliseconds:)))
        )
    }

    func serviceUser(_ record: UserRecord) -> Schemas.ServiceUser {
        Schemas.ServiceUser(
            userID: record.id,
            name: record.name,
            description: record.description,
            role: Self.role(record.role),
            createdAt: Date(milliseconds: record.createdAt)
        )
    }

    static func role(_ role: Role) -> Schemas.UserRoleEnum {
        role == .admin ? .admin : .member
    }

    func storeRole(_ role: Schemas.UserRoleEnum) -> Role {
        role == .admin ? .admin : .member
    }

    func settings(_ record: SettingsRecord) -> Schemas.Settings {
        Schemas.Settings(
            allowAllUsersToCreatePats: record.allowAllUsersToCreatePATs,
            maxTokenLifetimeDays: record.maxTokenLifetimeDays,
            accessTokenTtlSeconds: record.accessTokenTTLSeconds,
            eventRetentionDays: record.eventRetentionDays
        )
    }

    func event(_ record: EventRecord) -> Schemas.Event {
        Schemas.Event(
            eventID: record.id,
            actorUserID: record.actor.userID,
            actorName: record.actor.name,
            actorEmail: record.actor.email,
            eventType: record.eventType.rawValue,
            createdAt: Date(milliseconds: record.createdAt),
            actorIPAddress: record.actor.ipAddress,
            apiTokenName: record.actor.tokenName,
            apiTokenPreview: record.actor.tokenPreview,
            detail: .some(record.detail)
        )
    }
}
