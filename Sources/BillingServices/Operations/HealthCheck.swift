import BillingProtocol
import BillingStore
import Postgres
import Synchronization

/// Whether this process can do its work, which for every Ledgerline process means its database
/// answers; the `health` method and the HTTP health port both ask it.
public struct HealthCheck: Sendable {
    let store: BillingStore
    /// A database that has not answered by then counts as unreachable: a probe must not hang on a
    /// connection whose server vanished without closing it.
    let timeout: Duration

    public init(store: BillingStore, timeout: Duration = .seconds(3)) {
        self.store = store
        self.timeout = timeout
    }

    /// A round trip through the pool (a connection is opened if none is idle), within `timeout`.
    /// The round trip itself cannot be interrupted; past the timeout it finishes unwatched.
    public func databaseAnswers() async -> Bool {
        let answer = FirstAnswer()
        return await withCheckedContinuation { (outcome: CheckedContinuation<Bool, Never>) in
            @Sendable func settle(_ value: Bool) {
                if answer.claim() { outcome.resume(returning: value) }
            }
            let store = self.store
            Task {
                let reached = (try? await store.pool.withConnection { try await $0.query("SELECT 1") }) != nil
                settle(reached)
            }
            Task { [timeout] in
                try? await Task.sleep(for: timeout)
                settle(false)
            }
        }
    }

    public func report() async -> Health.Result {
        await databaseAnswers()
            ? Health.Result(status: "ok", database: "ok") : Health.Result(status: "degraded", database: "unreachable")
    }
}

/// Which of the round trip and the timeout came first: only that one answers.
private final class FirstAnswer: Sendable {
    private let answered = Mutex(false)

    func claim() -> Bool {
        answered.withLock { answered in
            defer { answered = true }
            return !answered
        }
    }
}
