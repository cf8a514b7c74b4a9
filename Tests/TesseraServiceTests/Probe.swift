import Foundation
import HTTPTestClient
import TesseraClient
import Testing

/// Requests to several instances of one database as its admin, counting
/// the revoked secrets they accept; used by PostgresRestartTests and
/// MultiInstanceTests.
struct Probe {
    let admin: String
    /// The instances, reached through clients of the test's choosing.
    var instances: [TesseraInstance]
    var accepted = 0
    var checks = 0
    var created = 0

    init(admin: String, clients: [LoopbackClient]) {
        self.admin = admin
        self.instances = clients.map { TesseraInstance(client: $0, adminSecret: admin) }
    }

    var clients: [LoopbackClient] { instances.map(\.client) }

    /// A new token (for `userID`, else the admin), through instance `via`
    /// or, without one, each instance in turn.
    mutating func createToken(via: Int? = nil, userID: UUID? = nil) async throws -> Schemas.CreatedToken {
        created += 1
        return try await ServiceSteps.newToken(instances[via ?? created % instances.count], label: "probe", userID: userID)
    }

    /// Every instance in `indices` accepts `secret` now (so has it cached).
    func warm(_ secret: String, on indices: [Int]) async throws {
        for index in indices { try await ServiceSteps.expectAccepted(instances[index], secret) }
    }

    /// Right after a revocation answered: no instance accepts the secret.
    mutating func expectRefused(_ secret: String, on indices: [Int], _ what: String) async throws {
        for index in indices {
            let output = try await instances[index].api(secret).getSelf()
            checks += 1
            switch output {
            case .unauthorized: continue
            case .ok: accepted += 1
            default: break
            }
            Issue.record("\(what): instance \(index) answered \(output) for a revoked secret")
        }
    }

    /// DELETE /tokens/{id} through instance `via`.
    func delete(_ token: Schemas.CreatedToken, via: Int) async throws {
        let output = try await instances[via].adminAPI.deleteToken(.init(tokenID: token.token.tokenID))
        guard case .ok = output else { throw Unexpected(output, "200") }
    }

    /// A regeneration through instance `via`: the new secret.
    func regenerate(_ token: Schemas.CreatedToken, via: Int) async throws -> String {
        let output = try await instances[via].adminAPI.regenerateToken(.init(tokenID: token.token.tokenID))
        guard case .ok(let regenerated) = output else { throw Unexpected(output, "200") }
        return regenerated.secret
    }

    /// A person's deactivation through instance `via`.
    func deactivate(_ userID: UUID, via: Int) async throws {
        let output = try await instances[via].adminAPI.deactivateUser(.init(userID: userID))
        guard case .ok = output else { throw Unexpected(output, "200") }
    }

    /// A delete, a regeneration and a deactivation, each through another
    /// instance, of secrets every instance had cached.
    mutating func revocations(_ when: String) async throws {
        let all = Array(instances.indices)
        for via in all {
            let deleted = try await createToken()
            try await warm(deleted.secret, on: all)
            try await delete(deleted, via: via)
            try await expectRefused(deleted.secret, on: all, "delete via \(via) \(when)")

            let rotated = try await createToken()
            try await warm(rotated.secret, on: all)
            _ = try await regenerate(rotated, via: via)
            try await expectRefused(rotated.secret, on: all, "regenerate via \(via) \(when)")

            created += 1
            let member = try await ServiceSteps.newUser(instances[via], role: .member, email: "restart\(created)@restart.test", name: "R \(created)")
            let memberToken = try await createToken(userID: member)
            try await warm(memberToken.secret, on: all)
            try await deactivate(member, via: via)
            try await expectRefused(memberToken.secret, on: all, "deactivate via \(via) \(when)")
        }
    }
}
