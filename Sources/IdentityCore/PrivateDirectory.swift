public import Foundation
#if canImport(Glibc)
import Glibc
/// The C library's write(2).
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// A directory of this machine's own secrets — the development CA's keys, the developer
/// mock's kept signing keys — that several processes started at once share.
///
/// It is made 0700 (one that already exists must be the user's and writable by nobody
/// else); a file is created with its final mode (never
/// readable by others, even for a moment, however the directory is set), written in full
/// and synced, then renamed over the old one, so a reader never sees half a key; and the
/// processes take turns under a file lock, so one of them makes what is missing and the
/// others read it, instead of each making its own and overwriting the others'.
public struct PrivateDirectory: Sendable {
    public let directory: URL

    /// Why the directory could not be used, for the caller's own coded error.
    public struct Failure: Error, Sendable, Equatable {
        public let detail: String
    }

    public init(_ directory: URL) {
        self.directory = directory
    }

    /// Where a tool keeps such a directory, by the XDG base directory rules: the path in
    /// `variable` when it is set and not empty; else `subpath` under the XDG base directory
    /// `base` names (`XDG_DATA_HOME`, `XDG_CACHE_HOME`), when set and not empty; else
    /// under that base's default in the home directory (`.local/share`, `.cache`) —
    /// outside any checkout, so every clone and every executable shares it.
    public static func location(
        variable: String, base: (variable: String, home: String), subpath: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let explicit = environment[variable], !explicit.isEmpty { return URL(fileURLWithPath: explicit, isDirectory: true) }
        let root = environment[base.variable].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(base.home, isDirectory: true)
        return root.appendingPathComponent(subpath, isDirectory: true)
    }

    /// Makes the directory (0700) if it is missing, checks that it is safe to trust (see
    /// the type), then runs `body` holding its lock.
    public func withLock<T, E: Error>(_ wrap: (Failure) -> E, _ body: () throws(E) -> T) throws(E) -> T {
        let path = directory.path
        do {
            // The parents as the user's umask makes them; the directory itself 0700 from the
            // start (mkdir with that mode, never wider for a moment).
            try FileManager.default.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw wrap(Failure(detail: "cannot create \(directory.deletingLastPathComponent().path): \(error.localizedDescription)"))
        }
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw wrap(Failure(detail: "cannot create \(path): \(String(cString: strerror(errno)))"))
        }
        try check(wrap)
        let lock = directory.appendingPathComponent(".lock").path
        let descriptor = open(lock, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw wrap(Failure(detail: "cannot open the lock file \(lock): errno \(errno)")) }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw wrap(Failure(detail: "cannot lock \(lock): errno \(errno)")) }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// An existing directory is trusted only if it is this user's and nobody else can write
    /// to it: anyone who could would plant the keys this machine trusts. A symbolic link of
    /// the user's own to such a directory is followed; one made by someone else is not, as
    /// they could point it elsewhere.
    private func check<E: Error>(_ wrap: (Failure) -> E) throws(E) {
        let path = directory.path
        var link = stat()
        guard lstat(path, &link) == 0 else { throw wrap(Failure(detail: "cannot read \(path): \(String(cString: strerror(errno)))")) }
        if link.st_mode & S_IFMT == S_IFLNK, link.st_uid != geteuid() {
            throw wrap(Failure(detail: "\(path) is a symbolic link made by someone else (uid \(link.st_uid)): name a directory of your own"))
        }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { throw wrap(Failure(detail: "\(path) is not a directory")) }
        guard status.st_uid == geteuid() else {
            throw wrap(Failure(detail: "\(path) belongs to uid \(status.st_uid), not this user (uid \(geteuid())): name a directory of your own"))
        }
        guard status.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            throw wrap(
                Failure(
                    detail: "others can write to \(path) (mode \(String(status.st_mode & 0o777, radix: 8))), so they could have put keys in it: "
                        + "remove it to start afresh, or chmod go-w it if you trust its files"))
        }
    }

    /// Writes `text` to `name` in the directory, created with `mode` (see the type).
    public func write(_ text: String, to name: String, mode: mode_t) throws(Failure) {
        let file = directory.appendingPathComponent(name).path
        let temporary = file + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(detail: "cannot create \(temporary): errno \(errno)") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, file) == 0 else {
            unlink(temporary)
            throw Failure(detail: "cannot write \(file): errno \(errno)")
        }
    }
}
