import APIRuntime
import APIServer
import Crypto
import Foundation
import TesseraAPI
import TesseraCore
import TesseraStore

extension TokenService {
    /// `POST /tokens/revoke`: whoever holds a secret may revoke it. The
    /// answer is the same whatever the text was (no oracle); the request
    /// counts against the address's failed-authentication budget (the
    /// throttle does that for this operation).
    public func revokeSecret(_ input: Operations.RevokeSecret.Input, context: OperationContext<Caller>) async throws(Operations.RevokeSecret.Failure) -> Operations.RevokeSecret.Output {
        if let secret = TokenSecret(parsing: Substring(input.body.secret)) {
            let revocation = SecretRevocation(name: "secret holder (POST /tokens/revoke)", ipAddress: context.clientAddress,
                                              event: .apiTokenRevoked, detail: nil)
            try await revoke([SecretToRevoke(digest: secret.digest.bytes, access: secret.kind == .access, revocation: revocation)], for: input)
        }
        return .ok(Schemas.RevocationAccepted(message: "If this was a live secret, it has been revoked."))
    }

    /// `POST /secret-scanning/github`: a signed report of leaked secrets.
    /// Nothing is read from the report before its signature verifies.
    public func reportLeakedSecrets(_ input: Operations.ReportLeakedSecrets.Input,
                                    context: OperationContext<Caller>) async throws(Operations.ReportLeakedSecrets.Failure) -> Operations.ReportLeakedSecrets.Output {
        let body = input.body
        try verifyGitHubSignature(of: body, identifier: input.githubPublicKeyIdentifier, signature: input.githubPublicKeySignature)
        guard APIRequest.isJSON(context.headers[.contentType] ?? "") else {
            throw .unsupportedMediaType("A secret-scanning report is JSON; send Content-Type: application/json.")
        }
        let matches = try Self.decodeReport(body)
        // Each reported text hashed once: the feedback's token_hash, and the
        // digest to revoke when it is a Tessera secret.
        let digests = matches.map { SecretDigest(of: $0.token) }
        let reporter = context.clientAddress
        var secrets: [SecretToRevoke] = []
        // Which entry of `secrets` each match stands for (nil: not a Tessera secret).
        var positions: [Int?] = []
        var seen: [SecretDigest: Int] = [:]
        for (match, digest) in zip(matches, digests) {
            guard let secret = TokenSecret(parsing: Substring(match.token)) else {
                positions.append(nil)
                continue
            }
            if let earlier = seen[digest] {
                positions.append(earlier)
                continue
            }
            let detail = "reported by GitHub secret scanning: source \(match.source ?? "unknown"), url \(match.url ?? "unknown")"
            seen[digest] = secrets.count
            positions.append(secrets.count)
            secrets.append(SecretToRevoke(
                digest: digest.bytes, access: secret.kind == .access,
                revocation: SecretRevocation(name: "GitHub secret scanning", ipAddress: reporter, event: .apiTokenLeaked,
                                             detail: detail)
            ))
        }
        let revoked = try await revoke(secrets, for: input)
        let feedback = matches.indices.map { index in
            Schemas.SecretScanningFeedback(
                tokenHash: digests[index].hex, tokenType: matches[index].type,
                label: positions[index].map { revoked[$0] != nil } == true ? .truePositive : .falsePositive
            )
        }
        return .ok(feedback)
    }

    /// The challenge of the intake's 401s (HTTP requires one).
    static let secretScanningChallenge = #"Github-Public-Key-Signature realm="secret-scanning""#

    /// 401 unless `signature` (base64 DER) is a valid ECDSA P-256 SHA-256
    /// signature of `body` by the configured key named `identifier`.
    func verifyGitHubSignature(of body: [UInt8], identifier: String?, signature: String?) throws(Operations.ReportLeakedSecrets.Failure) {
        func refused(_ reason: String) -> Operations.ReportLeakedSecrets.Failure {
            .unauthorized("The report is refused: \(reason); nothing was revoked.", headers: .init(wwwAuthenticate: Self.secretScanningChallenge))
        }
        guard let identifier, !identifier.isEmpty, let signature, !signature.isEmpty else {
            throw refused("it needs Github-Public-Key-Identifier and Github-Public-Key-Signature")
        }
        let key: P256.Signing.PublicKey?
        do {
            key = try secretScanningKeys.key(identifier)
        } catch let failure as SecretScanningKeys.Failure {
            throw refused("\(failure)")
        } catch {
            throw .unexpected(error)
        }
        guard let key else { throw refused("no configured key is named \(identifier.prefix(80))") }
        guard let der = Data(base64Encoded: signature),
              let parsed = try? P256.Signing.ECDSASignature(derRepresentation: der),
              key.isValidSignature(parsed, for: body) else {
            throw refused("its signature does not verify")
        }
    }

    /// The report's entries, checked as the schema says (400 otherwise).
    static func decodeReport(_ body: [UInt8]) throws(Operations.ReportLeakedSecrets.Failure) -> [Schemas.SecretScanningMatch] {
        let json: JSON
        do {
            json = try JSON.parse(body)
        } catch {
            throw .badRequest("The report is not valid JSON: \(error.description).")
        }
        var errors = ValidationErrors()
        let matches = [Schemas.SecretScanningMatch](json: json, path: .root, errors: &errors)
        if let matches, matches.count > 1_000 {
            errors.add(FieldPath("body"), "has more than 1000 items")
        }
        guard let matches, errors.errors.isEmpty else {
            let invalid = APIError.validation(errors)
            throw .badRequest(invalid.message, fieldErrors: invalid.fieldErrors)
        }
        return matches
    }

    /// Revokes `secrets`, forgets them here and waits for the other
    /// instances, so none accepts one once this returns.
    @discardableResult
    func revoke<I: OperationInput>(_ secrets: [SecretToRevoke], for input: I) async throws(I.Failure) -> [RevokedSecret?]
        where I.Failure: Failures.ServiceUnavailable {
        let revoked = try await translatingStoreErrors(for: input) { try await store.revokeSecrets(secrets, at: clock.now()) }
        var accessDigests: [[UInt8]] = []
        for (secret, result) in zip(secrets, revoked) {
            switch result {
            case .token(let token)?:
                verifier.invalidate(tokenID: token.id)
                lastUsed.forget(token.id)
            case .previousSecret(let token)?:
                verifier.invalidate(tokenID: token.id)
            case .accessToken?:
                accessDigests.append(secret.digest)
            case nil:
                break
            }
        }
        // One pass under the cache's lock for every access token.
        verifier.invalidate(digests: accessDigests)
        if revoked.contains(where: { $0 != nil }) { try await peersCaughtUp(for: input) }
        return revoked
    }
}
