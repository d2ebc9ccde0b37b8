import Connectors
import Logging

/// One server-to-server notice of a session's end: a form POSTed to a recipient (an RP's
/// logout token, an SP's LogoutRequest). Built one after another, so a scenario's random
/// stream is drawn in a fixed order; sent all at once by ``send(_:over:accepting:logger:)``.
struct BackChannelNotice: Sendable {
    var recipient: String
    var url: String
    var form: [(String, String)]

    /// Sends every notice at once; the recipients whose answer status is in `accepted`,
    /// and the others (an error status, a refused connection, a timeout), each sorted.
    static func send(_ notices: [BackChannelNotice], over http: UpstreamHTTP, accepting accepted: Range<Int>, logger: Logger) async
        -> (told: [String], failed: [String])
    {
        let answers = await withTaskGroup(of: (String, Bool).self) { group in
            for notice in notices {
                group.addTask {
                    do {
                        let answer = try await http.send("POST", notice.url, form: notice.form)
                        if accepted.contains(answer.status) { return (notice.recipient, true) }
                        logger.info("back-channel logout at \(notice.recipient) answered \(answer.status)")
                    } catch {
                        logger.info("back-channel logout at \(notice.recipient) failed: \(error)")
                    }
                    return (notice.recipient, false)
                }
            }
            var answers = [(String, Bool)]()
            for await answer in group { answers.append(answer) }
            return answers
        }
        return (answers.filter(\.1).map(\.0).sorted(), answers.filter { !$0.1 }.map(\.0).sorted())
    }
}
