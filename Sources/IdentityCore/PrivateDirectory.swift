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
/// It is made readable by its owner only (one that already exists must be its user's and
/// writable by nobody else); a file is created with its final mode (never
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

    /// Makes the directory (0700) if it is missing, then runs `body` holding its lock.
    public func withLock<T, E: Error>(_ wrap: (Failure) -> E, _ body: () throws(E) -> T) throws(E) -> T {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw wrap(Failure(detail: "cannot create \(directory.path): \(error.localizedDescription)"))
        }
        // A directory that already existed is used only if it is this user's and nobody
        // else can write to it: anyone who could would plant the keys this machine trusts.
        var status = stat()
        guard lstat(directory.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
            throw wrap(Failure(detail: "\(directory.path) is not a directory"))
        }
        guard status.st_uid == geteuid(), status.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            throw wrap(Failure(detail: "\(directory.path) must belong to this user and be writable by nobody else (chmod 700 it)"))
        }
        let path = directory.appendingPathComponent(".lock").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw wrap(Failure(detail: "cannot open the lock file \(path): errno \(errno)")) }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw wrap(Failure(detail: "cannot lock \(path): errno \(errno)")) }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
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
