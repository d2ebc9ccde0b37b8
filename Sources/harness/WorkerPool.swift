import Foundation
import HarnessReports
import ScenarioKit
import Synchronization

/// Runs a suite as `jobs` worker processes, each taking every `jobs`-th scenario in turn.
///
/// Processes rather than tasks: scenarios are already isolated from each other inside one
/// process (own server, store, mocks, clock), but on this kind of machine two scenarios in
/// one process spend much of their time handing work between the shared thread pools —
/// measured on 2 cores, two processes ran the suite 2.5× faster than one, two tasks in one
/// process 1.6×. A worker that dies fails the scenarios it had not reported, by name.
struct WorkerPool {
    let executable: URL
    let root: URL
    let jobs: Int
    let record: Bool
    let reports: Bool
    /// `harness run --tls`: each worker makes its own CA for its parties.
    let tls: Bool

    func run(_ files: [ScenarioFile], progress: @escaping @Sendable (ScenarioOutcome, ScenarioReport?) -> Void) async throws
        -> [(ScenarioOutcome, ScenarioReport?)]
    {
        let shards = (0..<min(jobs, files.count)).map { shard in
            files.enumerated().filter { $0.offset % min(jobs, files.count) == shard }.map(\.element)
        }
        let byID = Dictionary(files.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let (stream, continuation) = AsyncStream<WorkerEvent>.makeStream()
        var processes = [Process]()
        for (index, shard) in shards.enumerated() {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["worker", "--root", root.path] + (record ? ["--record"] : []) + (reports ? ["--reports"] : []) + (tls ? ["--tls"] : []) + shard.map(\.id)
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            process.terminationHandler = { finished in
                continuation.yield(.exited(worker: index, status: finished.terminationStatus))
            }
            try process.run()
            processes.append(process)
            // Lines are read on a thread of their own: the pipe must be drained while the
            // worker runs, whatever the parent's tasks are doing.
            let reader = output.fileHandleForReading
            Thread.detachNewThread {
                var buffer = Data()
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: 0x0A) {
                        continuation.yield(.line(worker: index, buffer[buffer.startIndex..<newline]))
                        buffer.removeSubrange(buffer.startIndex...newline)
                    }
                }
                continuation.yield(.drained(worker: index))
            }
        }
        var results = [String: (ScenarioOutcome, ScenarioReport?)]()
        var finished = Set<Int>()
        var drained = Set<Int>()
        var statuses = [Int: Int32]()
        let decoder = JSONDecoder()
        for await event in stream {
            switch event {
            case .line(let worker, let data):
                guard let result = try? decoder.decode(WorkerResult.self, from: data), let file = byID[result.id] else {
                    FileHandle.standardError.write(Data("worker \(worker + 1): unreadable line: \(String(decoding: data, as: UTF8.self))\n".utf8))
                    continue
                }
                let outcome = ScenarioOutcome(file: file, verdict: result.verdict, seconds: result.seconds)
                results[file.id] = (outcome, result.report)
                progress(outcome, result.report)
            case .exited(let worker, let status):
                finished.insert(worker)
                statuses[worker] = status
            case .drained(let worker):
                drained.insert(worker)
            }
            if finished.count == shards.count && drained.count == shards.count { continuation.finish() }
        }
        // Whatever a worker did not report, it did not run.
        for (index, shard) in shards.enumerated() {
            for file in shard where results[file.id] == nil {
                let outcome = ScenarioOutcome(
                    file: file, verdict: .failed("worker \(index + 1) exited with status \(statuses[index] ?? -1) before reporting it"), seconds: 0)
                results[file.id] = (outcome, nil)
                progress(outcome, nil)
            }
        }
        return files.map { results[$0.id]! }
    }

    enum WorkerEvent: Sendable {
        case line(worker: Int, Data)
        case exited(worker: Int, status: Int32)
        case drained(worker: Int)
    }
}
