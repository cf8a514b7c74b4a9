import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one HTTP/1.x response from a socket: status line, headers, then the
/// body by chunked transfer-coding, Content-Length, or until the server closes.
struct ResponseReader {
    let socket: Socket
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    static let maximumHeaderBytes = 1 << 20

    init(socket: Socket) {
        self.socket = socket
    }

    mutating func readResponse(isHead: Bool) throws -> LoopbackResponse {
        while true {
            let (status, headers) = try readHead()
            // Interim responses (100 Continue, 103 Early Hints) precede the real one.
            if (100 ..< 200).contains(status) && status != 101 { continue }
            if isHead || (100 ..< 200).contains(status) || status == 204 || status == 304 {
                return LoopbackResponse(status: status, headers: headers, body: [])
            }
            let body = try readBody(headers: headers)
            return LoopbackResponse(status: status, headers: headers, body: body)
        }
    }

    private mutating func readHead() throws -> (Int, [(name: String, value: String)]) {
        var headBytes = 0
        guard let statusLine = try readLine(counting: &headBytes) else {
            throw LoopbackClientError.connectionClosed("before sending a response")
        }
        let status = try parseStatusLine(statusLine)
        var headers: [(name: String, value: String)] = []
        while true {
            guard let line = try readLine(counting: &headBytes) else {
                throw LoopbackClientError.connectionClosed("in the middle of the response headers")
            }
            if line.isEmpty { break }
            if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
                // An obsolete folded continuation of the previous header.
                guard let last = headers.popLast() else {
                    throw LoopbackClientError.malformedResponse("a header continuation line comes first")
                }
                headers.append((last.name, last.value + " " + trimmed(line)))
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw LoopbackClientError.malformedResponse("header line without a name and colon: \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            guard !name.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw LoopbackClientError.malformedResponse("whitespace in header name \(name.debugDescription)")
            }
            headers.append((name, trimmed(line[(colon + 1)...])))
        }
        return (status, headers)
    }

    private func parseStatusLine(_ line: ArraySlice<UInt8>) throws -> Int {
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3,
              parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let status = Int(parts[1])
        else {
            throw LoopbackClientError.malformedResponse("bad status line \(text.debugDescription)")
        }
        return status
    }

    private func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice.removeFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice.removeLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    private mutating func readBody(headers: [(name: String, value: String)]) throws -> [UInt8] {
        func values(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name }.map(\.value)
        }
        let codings = values("transfer-encoding")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let last = codings.last {
            guard last == "chunked" else { return try readToEnd() }
            return try readChunked()
        }
        let lengths = Set(values("content-length").flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) })
        if lengths.isEmpty { return try readToEnd() }
        guard lengths.count == 1, let text = lengths.first, let length = Int(text), length >= 0 else {
            throw LoopbackClientError.malformedResponse("bad Content-Length \(values("content-length"))")
        }
        return try read(count: length)
    }

    private mutating func readChunked() throws -> [UInt8] {
        var body: [UInt8] = []
        var headBytes = 0
        while true {
            guard let line = try readLine(counting: &headBytes) else {
                throw LoopbackClientError.connectionClosed("before the last chunk")
            }
            let sizeText = String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            guard !sizeText.isEmpty, sizeText.count <= 15, let size = Int(sizeText, radix: 16) else {
                throw LoopbackClientError.malformedResponse("bad chunk size line \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            if size == 0 { break }
            body += try read(count: size)
            guard let end = try readLine(counting: &headBytes), end.isEmpty else {
                throw LoopbackClientError.malformedResponse("chunk data not followed by CRLF")
            }
        }
        // Trailer fields, up to the empty line.
        while true {
            guard let line = try readLine(counting: &headBytes) else { break }
            if line.isEmpty { break }
        }
        return body
    }

    /// The next line without its CRLF (or bare LF); nil at the end of the
    /// stream when nothing of a line was read.
    private mutating func readLine(counting total: inout Int) throws -> ArraySlice<UInt8>? {
        var scanned = 0  // bytes after `start` known to hold no newline
        while true {
            if let newline = buffer[(start + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[start ..< end]
                total += newline + 1 - start
                start = newline + 1
                return line
            }
            scanned = buffer.count - start
            if total + buffer.count - start > Self.maximumHeaderBytes {
                throw LoopbackClientError.malformedResponse("response head longer than \(Self.maximumHeaderBytes) bytes")
            }
            if try fill() == 0 {
                if start == buffer.count { return nil }
                throw LoopbackClientError.connectionClosed("in the middle of a line")
            }
        }
    }

    private mutating func read(count: Int) throws -> [UInt8] {
        while buffer.count - start < count {
            if try fill() == 0 {
                throw LoopbackClientError.connectionClosed("after \(buffer.count - start) of \(count) body bytes")
            }
        }
        let bytes = Array(buffer[start ..< start + count])
        start += count
        return bytes
    }

    private mutating func readToEnd() throws -> [UInt8] {
        while try fill() > 0 {}
        let bytes = Array(buffer[start...])
        start = buffer.count
        return bytes
    }

    /// Appends what the socket has (waiting for it); 0 at the end of the stream.
    private mutating func fill() throws -> Int {
        if ended { return 0 }
        if start > 65536 && start > buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        let capacity = 65536
        let oldCount = buffer.count
        var received = 0
        buffer.append(contentsOf: repeatElement(0, count: capacity))
        do {
            received = try buffer.withUnsafeMutableBytes { try socket.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[oldCount...])) }
        } catch {
            buffer.removeLast(capacity)
            throw error
        }
        buffer.removeLast(capacity - received)
        if received == 0 { ended = true }
        return received
    }
}
