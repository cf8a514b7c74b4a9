#if canImport(Glibc)
import Glibc
#endif
import Logging
import Testing
@testable import LineLogging

@Suite struct LineFormatTests {
    /// 2026-11-24T02:39:59.054Z
    let time = timespec(tv_sec: 1_795_487_999, tv_nsec: 54_900_000)

    @Test func aRecordIsTimeLevelLabelMetadataSourceAndMessage() {
        let line = LogLine.format(
            time: time, level: .info, label: "tessera", handlerMetadata: [:],
            metadata: ["correlation_id": "a181"], source: "APIServer", message: "GET /v1/self 200 0.38 ms"
        )
        #expect(String(decoding: line, as: UTF8.self)
            == "2026-11-24T02:39:59.054Z info tessera: correlation_id=a181 [APIServer] GET /v1/self 200 0.38 ms\n")
    }

    @Test func metadataIsMergedTheRecordsWinningAndPrintedInKeyOrder() {
        let line = LogLine.format(
            time: time, level: .warning, label: "l", handlerMetadata: ["b": "handler", "c": "3"],
            metadata: ["b": "record", "a": ["x", "y"]], source: "S", message: "m"
        )
        #expect(String(decoding: line, as: UTF8.self)
            == #"2026-11-24T02:39:59.054Z warning l: a=["x", "y"] b=record c=3 [S] m"# + "\n")
    }

    @Test func withoutMetadataNothingStandsBetweenLabelAndSource() {
        let line = LogLine.format(
            time: timespec(tv_sec: 0, tv_nsec: 999_999_999), level: .error, label: "l",
            handlerMetadata: [:], metadata: nil, source: "S", message: "m"
        )
        #expect(String(decoding: line, as: UTF8.self) == "1970-01-01T00:00:00.999Z error l: [S] m\n")
    }

    @Test func theHandlerWritesWhatALoggerLogsThroughItsWriter() throws {
        let file = OutputFile()
        let writer = LogWriter(descriptor: file.descriptor)
        var logger = Logger(label: "tests") { LineLogHandler(label: $0, logLevel: .info, writer: writer) }
        logger[metadataKey: "request"] = "7"
        logger.debug("below the level")
        logger.info("hello", metadata: ["user": "ada"])
        writer.shutdown()
        let lines = try file.lines()
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasSuffix(" info tests: request=7 user=ada [LineLoggingTests] hello"))
        #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z .*/) != nil)
    }
}
