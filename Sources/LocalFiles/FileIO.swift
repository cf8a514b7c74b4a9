#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and writes with POSIX calls: all the file access the
/// generator needs, and the one write-everything loop (`writeAll`) that
/// `openapi-codegen`'s standard error and `tessera`'s log writer use too.
///
/// The generator does not import Foundation. `openapi-codegen` runs once per
/// build of every target that uses the plugin, and on a small spec most of
/// its run is process start-up; loading FoundationEssentials alone (its
/// shared library, or its share of a static binary) cost about 0.8 ms of a
/// 3-8 ms run.
public enum FileIO {
    /// A failed file operation: what was attempted, on which path, and the
    /// system's reason.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var action: String
        public var path: String
        public var code: Int32

        /// "cannot read file 'x.yaml': No such file or directory"
        public var description: String {
            "cannot \(action) '\(path)': \(String(cString: strerror(code)))"
        }
    }

    /// The bytes of the file at `path`.
    public static func readFile(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(action: "read file", path: path, code: errno) }
        defer { close(fd) }
        var info = stat()
        let expected = fstat(fd, &info) == 0 ? max(Int(info.st_size), 0) : 0
        // One read into an array of the file's size (plus one byte, to see
        // the end), then, for a file that grew or has no size (a pipe),
        // more in chunks until the end.
        var bytes = try readSome(fd, upTo: expected + 1, path: path)
        if bytes.count == expected + 1 {
            while true {
                let more = try readSome(fd, upTo: 64 * 1024, path: path)
                if more.isEmpty { break }
                bytes += more
            }
        }
        return bytes
    }

    /// Up to `limit` bytes from `fd`, fewer only at the end of the file.
    private static func readSome(_ fd: Int32, upTo limit: Int, path: String) throws(Failure) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: limit) { buffer, count in
            count = 0
            while count < limit {
                let got = read(fd, buffer.baseAddress! + count, limit - count)
                if got > 0 {
                    count += got
                } else if got == 0 {
                    return
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure != 0 { throw Failure(action: "read file", path: path, code: failure) }
        return bytes
    }

    /// The process's working folder.
    public static func currentDirectory() -> String {
        var size = 4096
        while true {
            let path: String? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: size) { buffer in
                getcwd(buffer.baseAddress!, size) == nil ? nil : String(cString: buffer.baseAddress!)
            }
            if let path { return path }
            // ERANGE: a deeper folder than the buffer; anything else (the
            // folder was removed) leaves only the relative form.
            guard errno == ERANGE, size < 1 << 20 else { return "." }
            size *= 2
        }
    }

    /// Creates the folder at `path` and any missing parents, like `mkdir -p`.
    /// An existing folder costs one call; parents are only looked at when
    /// the folder cannot be made for lack of one.
    public static func createDirectories(_ path: String) throws(Failure) {
        if mkdir(path, 0o777) == 0 { return }
        var code = errno
        if code == ENOENT, let parent = parentFolder(of: path) {
            try createDirectories(parent)
            if mkdir(path, 0o777) == 0 { return }
            code = errno
        }
        if code == EEXIST {
            if isDirectory(path) { return }
            code = ENOTDIR
        }
        throw Failure(action: "create folder", path: path, code: code)
    }

    /// `a/b` for `a/b/c` or `a/b/c/`; nil for a single name or `/`.
    private static func parentFolder(of path: String) -> String? {
        var end = path.endIndex
        while end > path.startIndex, path[path.index(before: end)] == "/" { end = path.index(before: end) }
        guard let slash = path[..<end].lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether `path` names a folder (following symbolic links).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes all of `bytes` to `descriptor`, going on after interruptions
    /// and short writes. Returns 0, or the `errno` of the write that failed.
    @discardableResult
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else {
                return written < 0 ? errno : EIO
            }
        }
        return 0
    }

    /// Replaces the file at `path` with `bytes` atomically: they go to a
    /// temporary file in the same folder, which is then renamed over `path`.
    /// A reader (a build watching the folder) sees the old file or the new
    /// one, never a part; a failure leaves the old file as it was.
    public static func writeFile(_ bytes: [UInt8], to path: String) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(folder).\(name).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw Failure(action: "write file", path: path, code: errno) }
        var failure = bytes.withUnsafeBytes { writeAll($0, to: fd) }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw Failure(action: "write file", path: path, code: failure)
        }
    }

    /// The names of the entries in the folder at `path` (not `.` and
    /// `..`), in no particular order; empty when it cannot be read. One
    /// listing instead of asking for each file that might be there.
    public static func entryNames(_ path: String) -> [String] {
        guard let folder = opendir(path) else { return [] }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes the file at `path`; a file that is not there is no failure.
    public static func removeFile(_ path: String) throws(Failure) {
        if unlink(path) != 0, errno != ENOENT {
            throw Failure(action: "remove file", path: path, code: errno)
        }
    }
}
