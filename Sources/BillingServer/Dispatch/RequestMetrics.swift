import Metrics

/// Requests by method and outcome, and their latency. Methods the server does not have count as
/// `unknown`, so that a client cannot create new series by calling made-up names.
enum RequestMetrics {
    static func record(method: String, code: String, since started: ContinuousClock.Instant) {
        Counter(label: "ledgerline_requests_total", dimensions: [("method", method), ("code", code)]).increment()
        Timer(label: "ledgerline_request_duration_seconds", dimensions: [("method", method)])
            .record(duration: ContinuousClock.now - started)
    }
}
