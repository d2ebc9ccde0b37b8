public import IdentityStorageSQLite
import Foundation

extension SQLiteFaultInjection {
    /// Crash tests: inside the transaction that inserts a user, write `marker` and stall,
    /// so the test can SIGKILL the server with that transaction open and then prove that
    /// nothing of it was committed.
    public static func stallingUserInsert(marker: String) -> SQLiteFaultInjection {
        SQLiteFaultInjection(beforeUserInsertCommits: {
            _ = FileManager.default.createFile(atPath: marker, contents: Data("stalled\n".utf8))
            Thread.sleep(forTimeInterval: 120)
        })
    }
}
