#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
@testable import LineLogging

@Suite struct LogWriterTests {
    @Test func linesFromConcurrentThreadsArriveWholeAndInEachThreadsOrder() async throws {
        let file = OutputFile()
        let writer = LogWriter(descriptor: file.descriptor, gatherMicroseconds: 50)
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<4 {
                group.addTask {
                    for index in 0..<2_000 { "thread=\(thread) index=\(index)\n".withBytes(writer.append) }
                }
            }
        }
        writer.shutdown()
        let lines = try file.lines()
        #expect(lines.count == 8_000)
        var next = [Int](repeating: 0, count: 4)
        for line in lines {
            let fields = line.split(separator: " ").map { $0.split(separator: "=")[1] }
            let thread = Int(fields[0])!, index = Int(fields[1])!
            #expect(index == next[thread], "\(line) out of order")
            next[thread] = index + 1
        }
        #expect(next == [2_000, 2_000, 2_000, 2_000])
        #expect(writer.droppedLineCount == 0)
    }

    @Test func flushReturnsOnlyOnceEveryEarlierLineIsInTheFile() throws {
        let file = OutputFile()
        // A long gathering pause: without waiting, flush would return first.
        let writer = LogWriter(descriptor: file.descriptor, gatherMicroseconds: 200_000)
        for index in 0..<100 { "line \(index)\n".withBytes(writer.append) }
        writer.flush()
        #expect(try file.lines() == (0..<100).map { "line \($0)" })
        #expect(writer.pendingByteCount == 0)
        writer.shutdown()
    }

    @Test func shutdownWritesEverythingEndsTheThreadAndLaterLinesAreWrittenDirectly() throws {
        let file = OutputFile()
        let writer = LogWriter(descriptor: file.descriptor, gatherMicroseconds: 200_000)
        "before\n".withBytes(writer.append)
        writer.shutdown()
        #expect(try file.lines() == ["before"])
        // No thread is left to write it: the appending thread does.
        "after\n".withBytes(writer.append)
        #expect(try file.lines() == ["before", "after"])
        writer.shutdown()
        writer.flush()
    }

    @Test func aStalledOutputDropsAndCountsLinesWithoutBlockingOrGrowing() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { close(readEnd) }
        let limit = 4_096
        let writer = LogWriter(descriptor: writeEnd, limit: limit, gatherMicroseconds: 0)
        // Nobody reads the pipe yet: once its buffer (64 KiB) is full the
        // writer thread blocks in write(2), and appending must not.
        let line = String(repeating: "x", count: 90)
        let total = 10_000
        var largestPending = 0
        for index in 0..<total {
            "\(line) \(String(index).leftPadded(to: 5))\n".withBytes(writer.append)
            largestPending = max(largestPending, writer.pendingByteCount)
        }
        #expect(largestPending <= limit)
        let dropped = writer.droppedLineCount
        #expect(dropped > 0)

        let reader = PipeReader(descriptor: readEnd)
        writer.shutdown()
        close(writeEnd)
        let received = reader.waitForEnd()
        let notices = received.filter { $0.contains("log lines dropped") }
        let kept = received.filter { !$0.contains("log lines dropped") }
        #expect(kept.count + dropped == total)
        let noticed = notices.map { notice in
            Int(notice.split(separator: " ").first { $0.hasPrefix("dropped_lines=") }!.dropFirst(14))!
        }
        #expect(noticed.reduce(0, +) == dropped)
        #expect(notices.allSatisfy { $0.contains(" warning LineLogging: dropped_lines=") })
        let indexes = kept.map { Int($0.split(separator: " ")[1].trimmingCharacters(in: .whitespaces))! }
        #expect(indexes == indexes.sorted())
        #expect(indexes.first == 0)
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let text = Mutex<[UInt8]>([])

    init(descriptor: Int32) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                text.withLock { $0.append(contentsOf: buffer[..<count]) }
            }
            done.signal()
        }
        thread.start()
    }

    /// The lines read, once the pipe's write end is closed.
    func waitForEnd() -> [String] {
        done.wait()
        let bytes = text.withLock { $0 }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
