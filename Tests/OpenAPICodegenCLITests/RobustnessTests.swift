import Foundation
import Testing
import TestSupport

/// Broken copies of the corpus specs, run through the real CLI one process
/// each: every copy must end in diagnostics and an exit status of 0 or 1,
/// never a crash (a signal), a hang (killed at the time limit) or unbounded
/// memory (the process runs under `ulimit -v`).
///
/// The copies are made from fixed seeds, so a failure names a copy that can
/// be made again. `TESSERA_ROBUSTNESS_COPIES` sets how many of each kind per
/// spec (default 12); a longer run is the same test with a larger number.
@Suite(.serialized) struct RobustnessTests {
    static let copiesPerKind = ProcessInfo.processInfo.environment["TESSERA_ROBUSTNESS_COPIES"].flatMap(Int.init) ?? 12
    static let memoryLimitKiB = 1_048_576
    static let timeLimit: TimeInterval = 30

    /// The specs mutated: the most important one, JSON, 3.0 and 3.1, a
    /// multi-file one (its root; the files it refers to stay intact).
    static let sources = ["opal.yaml", "keycloak-23.0.0.yaml", "snyk-rest.json", "petstore-expanded.yaml", "webhook-example.yaml", "unkey-split/openapi-split.yaml"]

    enum Damage: String, CaseIterable, Sendable {
        case truncate, flipBytes, editLines
    }

    struct Outcome {
        var name: String
        var result: RunResult
    }

    @Test(arguments: Damage.allCases)
    func damagedCopiesNeverCrashHangOrExplode(_ damage: Damage) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("robustness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The split spec's root refers to ./spec/...; let its copies do the same.
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("spec"), withDestinationURL: Locations.specs.appendingPathComponent("unkey-split/spec"))

        var copies: [URL] = []
        for (sourceIndex, source) in Self.sources.enumerated() {
            let original = try Array(Data(contentsOf: Locations.specs.appendingPathComponent(source)))
            for copy in 0..<Self.copiesPerKind {
                let seed = UInt64(sourceIndex * 10_000 + copy) &* 0x1000_0001 &+ UInt64(Damage.allCases.firstIndex(of: damage)!)
                var random = SeededGenerator(seed: seed)
                let bytes = Self.damage(original, damage, copy: copy, random: &random)
                let name = "\(source.replacingOccurrences(of: "/", with: "_"))-\(damage.rawValue)-\(copy)\(source.hasSuffix(".json") ? ".json" : ".yaml")"
                let url = folder.appendingPathComponent(name)
                try Data(bytes).write(to: url)
                copies.append(url)
            }
        }

        let outcomes = try runAll(copies)
        var failed = 0
        for outcome in outcomes {
            let result = outcome.result
            #expect(!result.timedOut, "\(outcome.name): still running after \(Self.timeLimit) s")
            #expect(result.exited, "\(outcome.name): killed by signal \(result.status)\n\(result.stderr.suffix(1000))")
            #expect(result.status == 0 || result.status == 1, "\(outcome.name): exit \(result.status)\n\(result.stderr.suffix(1000))")
            if result.status == 1 {
                failed += 1
                let located = result.stderr.split(separator: "\n").contains { line in
                    line.range(of: #"^\S+:\d+:\d+: error: "#, options: .regularExpression) != nil
                }
                #expect(located, "\(outcome.name): exit 1 without a located error:\n\(result.stderr.prefix(1000))")
                #expect(result.stdout.contains(" error"), "\(outcome.name): no summary line")
            } else if result.status == 0 {
                #expect(result.stdout.contains("; 0 errors"), "\(outcome.name): exit 0 but \(result.stdout)")
            }
        }
        print("\(damage.rawValue): \(outcomes.count) damaged copies, \(failed) reported errors, \(outcomes.count - failed) still valid")
        // Cutting a spec short nearly always leaves references or required
        // keys behind, and must be noticed. (A cut inside the last schema or
        // inside the path list of a 3.1 document can leave a valid document.)
        if damage == .truncate {
            #expect(failed * 10 >= outcomes.count * 9, "only \(failed) of \(outcomes.count) truncated copies were reported")
        } else {
            #expect(failed > 0)
        }
    }

    /// Documents built to exhaust a naive loader.
    @Test func hostileDocumentsAreRefusedQuickly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var bomb = "openapi: 3.1.0\nx-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...12 {
            bomb += "x-\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        // Found with the fuzz target: aliases that nest anchors 200 levels
        // deeper each, and $refs to deep objects that lead on to the next
        // one; both overflowed the stack.
        var aliasDepth = "openapi: 3.1.0\nx-defs:\n"
        var previous = "{}"
        for index in 0..<20 {
            aliasDepth += "  a\(index): &a\(index) " + String(repeating: "{items: ", count: 200) + previous + String(repeating: "}", count: 200) + "\n"
            previous = "*a\(index)"
        }
        aliasDepth += "components: {schemas: {S: \(previous)}}\n"
        var deepReferences = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents: {schemas: {S: {$ref: '#/x-defs/D0'}}}\nx-defs:\n"
        for index in 0..<12 {
            deepReferences += "  D\(index): " + String(repeating: "{items: ", count: 240) + "{$ref: '#/x-defs/D\(index + 1)'}" + String(repeating: "}", count: 240) + "\n"
        }
        let cases: [(String, String, String)] = [
            ("bomb.yaml", bomb, "refusing it as an alias bomb"),
            ("aliasdepth.yaml", aliasDepth, "nesting deeper than 256 levels once alias '*a0' is expanded"),
            ("deeprefs.yaml", deepReferences, "references nest more than 256 levels deep here"),
            ("deep.yaml", String(repeating: "[", count: 200_000), "nesting deeper than 256 levels"),
            ("deepmap.yaml", (0..<5_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n"), "nesting deeper than 256 levels"),
            ("binary.yaml", String(decoding: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }, as: UTF8.self), "error:"),
            ("twodocs.yaml", "openapi: 3.1.0\n---\nopenapi: 3.1.0\n", "more than one YAML document"),
        ]
        for (name, text, expected) in cases {
            let url = folder.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            let result = try run(Locations.codegen, [url.path, "--check"], timeout: Self.timeLimit, memoryLimitKiB: Self.memoryLimitKiB)
            #expect(result.exited && result.status == 1 && !result.timedOut, "\(name): exit \(result.status)")
            #expect(result.stderr.contains(expected), "\(name): \(result.stderr.prefix(500))")
        }
    }

    // MARK: Damage

    static func damage(_ original: [UInt8], _ damage: Damage, copy: Int, random: inout SeededGenerator) -> [UInt8] {
        switch damage {
        case .truncate:
            // Spread the cuts over the whole file, each jittered.
            let slice = max(1, original.count / copiesPerKind)
            let cut = min(original.count - 1, copy * slice + Int.random(in: 0..<slice, using: &random))
            return Array(original[..<max(1, cut)])
        case .flipBytes:
            var bytes = original
            let interesting: [UInt8] = Array("{}[]:-&*!|>'\"#\n\t $/%?,0@`".utf8) + [0x00, 0xFF, 0xC3, 0xE2, 0x7F]
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] = Bool.random(using: &random) ? interesting.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            return bytes
        case .editLines:
            var lines = original.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<lines.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: lines.remove(at: index)
                case 1: lines.insert(lines[index], at: index)
                case 2: lines[index] = Array(" ".utf8) + lines[index]
                default: lines[index] = Array(lines[index].drop { $0 == UInt8(ascii: " ") })
                }
                if lines.isEmpty { lines = [[]] }
            }
            return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        }
    }

    /// Runs the copies two at a time (the machines have two cores).
    private func runAll(_ copies: [URL]) throws -> [Outcome] {
        let lock = NSLock()
        nonisolated(unsafe) var outcomes: [Outcome] = []
        nonisolated(unsafe) var failure: Error?
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for (index, url) in copies.enumerated() where index % 2 == worker {
                do {
                    let result = try run(Locations.codegen, [url.path, "--check"], timeout: Self.timeLimit, memoryLimitKiB: Self.memoryLimitKiB)
                    lock.withLock { outcomes.append(Outcome(name: url.lastPathComponent, result: result)) }
                } catch {
                    lock.withLock { failure = error }
                }
            }
        }
        if let failure { throw failure }
        return outcomes.sorted { $0.name < $1.name }
    }
}
