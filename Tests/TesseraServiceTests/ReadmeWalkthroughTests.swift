import Foundation
import Testing
import TestSupport

/// The README's curl walkthrough, run as written (bash -e) against a real
/// server, so the front door never shows a command that does not work.
@Suite struct ReadmeWalkthroughTests {
    @Test func walkthroughRunsAsWritten() async throws {
        let readme = try String(contentsOf: Locations.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## A walkthrough with curl"))
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```sh\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        var script = String(rest[open.upperBound..<close.lowerBound])

        let server = try await TesseraProcess.start()
        defer { server.stop() }
        // The two lines a reader changes: their token and, here, the port.
        let adminLine = try #require(script.split(separator: "\n").first { $0.hasPrefix("ADMIN=") })
        script = script.replacingOccurrences(of: String(adminLine), with: "ADMIN=\(server.adminSecret)")
        script = script.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(server.port)")
        #expect(script.contains("127.0.0.1:\(server.port)"))

        let file = server.folder.appendingPathComponent("walkthrough.sh")
        try ("set -euo pipefail\n" + script).write(to: file, atomically: true, encoding: .utf8)
        let result = try run(URL(fileURLWithPath: "/bin/bash"), [file.path])
        #expect(result.status == 0, "stderr: \(result.stderr)\nstdout: \(result.stdout)")

        // The commented outcomes: the rotated-away and the deleted secret
        // are refused, the delete succeeds; the access token is a service user's.
        let codes = result.stdout.split(separator: "\n").filter { $0.count == 3 || $0.hasSuffix("}401") || $0.hasSuffix("}200") }
        #expect(result.stdout.contains("\"type\":\"SERVICE_USER\""))
        #expect(result.stdout.contains("\"event_type\":\"API_TOKEN_DELETED\""))
        #expect(result.stdout.components(separatedBy: "401").count - 1 >= 2, "\(codes)")
    }
}
