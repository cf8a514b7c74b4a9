import SwiftRepresentation

/// How the generated Swift of each kind (types, operations, server, client)
/// is spread over several files, so that a large spec's code compiles in
/// parallel: a debug build compiles the files of a module in batches, one
/// compiler process per core, and a single huge file is one batch.
///
/// With `files` shards, a kind is written as `Types.swift`, `2-Types.swift`,
/// ... `<files>-Types.swift` (likewise `Operations`, `Server`, `Client`).
/// The part comes first because of how a debug build cuts a target into
/// batches: SwiftPM passes the files sorted by path and the driver gives
/// each core a contiguous run of them. Sorted, `2-Client.swift`,
/// `2-Operations.swift`, `2-Server.swift`, `2-Types.swift`, `3-Client.swift`
/// ... `Types.swift` put a slice of every kind in each batch; with the kind
/// first (`Types+2.swift`), one batch held all of `Server` and `Types`
/// (70% of Stripe's lines) and the other core sat idle for half the build.
/// The names depend on `files` alone, not on the spec, so that a build
/// plugin can declare them before the spec is read. The first file declares
/// the namespace (`public enum Schemas`, `public enum Operations`, the
/// server's protocol and routes, `public struct Client`); the others extend
/// it (`extension Schemas { ... }`).
///
/// Each schema goes to the file its component name hashes to (FNV-1a, so
/// the same on every machine and run), and each operation, with its
/// `Operations` enum, server handler and client method, to the file its
/// Swift type name hashes to: adding one schema or operation changes one
/// file of each kind, not every file, and the spec's order does not matter.
/// A small spec is not spread: a kind uses one file per
/// `minimumPerFile` schemas (operations), at most `files`, and the files
/// beyond those are written with their header comment only.
public struct FileSplit: Sendable, Equatable {
    /// Files per kind.
    public var files: Int

    /// The range `files` may take.
    public static let allowedFiles = 1...64

    /// Schemas (or operations) per file below which a kind is not spread
    /// further: Tessera's own spec (about 40 schemas, 26 operations) keeps
    /// one file per kind; Stripe's (about 1,200 schemas, 468 operations)
    /// fills every file up to 9.
    public static let minimumPerFile = 50

    /// One file per kind: the generator's output before splitting.
    public static let single = FileSplit(files: 1)

    /// `files` (clamped to `allowedFiles`) files per kind.
    public init(files: Int) {
        self.files = min(max(files, Self.allowedFiles.lowerBound), Self.allowedFiles.upperBound)
    }

    /// The file names of one kind (`Types`): `Types.swift`, then
    /// `2-Types.swift` ... `<files>-Types.swift`.
    public func fileNames(_ kind: String) -> [String] {
        (1...files).map { Self.fileName(kind, part: $0) }
    }

    /// The name of part `part` (1-based) of `kind`.
    public static func fileName(_ kind: String, part: Int) -> String {
        part == 1 ? "\(kind).swift" : "\(part)-\(kind).swift"
    }

    /// How many of the files a kind with `units` schemas or operations fills.
    func filledFiles(units: Int) -> Int {
        min(files, max(1, units / Self.minimumPerFile))
    }

    /// The file (0-based) of the schema or operation named `key` among `filled` files.
    static func part(of key: String, among filled: Int) -> Int {
        guard filled > 1 else { return 0 }
        // FNV-1a, 64 bits: stable across runs and machines, unlike `Hasher`.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(filled))
    }
}

/// One kind's declarations spread over its files.
struct SplitKind {
    /// Per file: the declarations written in it.
    var declarations: [[Declaration]]
    /// Per file: the names of the schemas or operations it holds, in order.
    var contents: [[String]]
    /// How many files hold schemas or operations (the rest are empty).
    var filled: Int
    /// The number of schemas or operations in all.
    var total: Int

    /// A kind whose first file declares `namespace` (built from its members)
    /// and whose others extend `extendedType`: `units` are the members, each
    /// a named group of declarations placed together; `leading` go first in
    /// the first file, before its share of `units`.
    static func namespace(
        _ namespace: ([Declaration]) -> Declaration, extendedType: String,
        leading: [Declaration] = [], units: [(name: String, declarations: [Declaration])], split: FileSplit
    ) -> SplitKind {
        var kind = SplitKind(split: split, units: units.map(\.name))
        var members = [[Declaration]](repeating: [], count: split.files)
        members[0] = leading
        for unit in units {
            members[FileSplit.part(of: unit.name, among: kind.filled)] += unit.declarations
        }
        kind.declarations[0] = [namespace(members[0])]
        for part in 1..<split.files where !members[part].isEmpty {
            kind.declarations[part] = [.extensionBlock(ExtensionDeclaration(extendedType: extendedType, members: members[part]))]
        }
        return kind
    }

    /// An empty split of `units`, named in the order given.
    init(split: FileSplit, units: [String]) {
        filled = split.filledFiles(units: units.count)
        total = units.count
        declarations = Array(repeating: [], count: split.files)
        contents = Array(repeating: [], count: split.files)
        for name in units {
            contents[FileSplit.part(of: name, among: filled)].append(name)
        }
    }
}
