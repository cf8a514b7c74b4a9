import Crypto
import Foundation
import Synchronization

/// GitHub's secret-scanning public keys, from the file `tessera serve
/// --github-secret-scanning-keys` names: GitHub's own document
/// (`GET https://api.github.com/meta/public_keys/secret_scanning`, saved by
/// whoever runs Tessera, since Tessera fetches nothing), `{"public_keys":
/// [{"key_identifier": …, "key": "-----BEGIN PUBLIC KEY-----…", …}]}`. The
/// file is read again whenever its modification time or size changes, so
/// a rotated key is picked up without a restart.
final class SecretScanningKeys: Sendable {
    let path: String?
    private let loaded = Mutex<Loaded?>(nil)

    private struct Loaded {
        var modified: Date
        var size: Int
        var keys: [String: P256.Signing.PublicKey]
    }

    private struct Document: Decodable {
        struct Key: Decodable {
            var key_identifier: String
            var key: String
        }
        var public_keys: [Key]
    }

    enum Failure: Error, CustomStringConvertible {
        case notConfigured
        case unreadable(String)

        var description: String {
            switch self {
            case .notConfigured: "no GitHub secret-scanning keys are configured (tessera serve --github-secret-scanning-keys)"
            case .unreadable(let reason): "the GitHub secret-scanning keys file cannot be used: \(reason)"
            }
        }
    }

    init(path: String?) {
        self.path = path
    }

    /// Reads the file once, so a bad one stops `tessera serve` at start-up.
    func check() throws {
        if path != nil { _ = try key("") }
    }

    /// The key named `identifier`, nil when the file has none by that name.
    func key(_ identifier: String) throws -> P256.Signing.PublicKey? {
        guard let path else { throw Failure.notConfigured }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw Failure.unreadable("\(path) cannot be read")
        }
        let modified = attributes[.modificationDate] as? Date ?? .distantPast
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if let current = loaded.withLock({ $0 }), current.modified == modified, current.size == size {
            return current.keys[identifier]
        }
        let keys = try Self.parse(path)
        loaded.withLock { $0 = Loaded(modified: modified, size: size, keys: keys) }
        return keys[identifier]
    }

    static func parse(_ path: String) throws -> [String: P256.Signing.PublicKey] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure.unreadable("\(path) cannot be read") }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw Failure.unreadable("\(path) is not GitHub's public_keys document")
        }
        var keys: [String: P256.Signing.PublicKey] = [:]
        for entry in document.public_keys {
            do {
                keys[entry.key_identifier] = try P256.Signing.PublicKey(pemRepresentation: entry.key)
            } catch {
                throw Failure.unreadable("key \(entry.key_identifier) is not a PEM P-256 public key")
            }
        }
        return keys
    }
}
