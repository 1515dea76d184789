import Synchronization

/// A session's subscriptions: what each consumer acknowledged, and whether the session still runs.
final class Subscriptions: Sendable {
    struct Entry {
        let consumer: String
        var acknowledged: Int64
        /// The sequence numbers pushed and not acknowledged yet, in order.
        var pending: [Int64] = []
        /// The subscription's response has been written: pushing may start.
        var confirmed = false
        /// The last sequence number pushed.
        var pushedThrough: Int64 = 0
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var closed = false
        var next = 0
    }

    private let state = Mutex(State())

    /// A new subscription of `consumer`, acknowledged through `position`; its id.
    func add(consumer: String, position: Int64) -> String {
        state.withLock { state in
            state.next += 1
            let id = "s\(state.next)"
            state.entries[id] = Entry(consumer: consumer, acknowledged: position)
            return id
        }
    }

    func entry(_ id: String) -> Entry? {
        state.withLock { $0.entries[id] }
    }

    /// The last sequence number pushed on the subscription (its start before any push).
    func lastPushed(_ id: String) -> Int64? {
        state.withLock { state in
            state.entries[id].map { $0.pending.last ?? max($0.acknowledged, $0.pushedThrough) }
        }
    }

    /// Records an acknowledgement (never backwards); the consumer's name, nil for no such subscription.
    func acknowledge(_ id: String, through seq: Int64) -> String? {
        state.withLock { state in
            guard var entry = state.entries[id] else { return nil }
            entry.acknowledged = max(entry.acknowledged, seq)
            entry.pending.removeFirst(entry.pending.prefix { $0 <= seq }.count)
            state.entries[id] = entry
            return entry.consumer
        }
    }

    /// Records events pushed; how many of the subscription's are now unacknowledged.
    func pushed(_ id: String, _ seqs: [Int64]) -> Int {
        state.withLock { state in
            state.entries[id]?.pending.append(contentsOf: seqs)
            if let last = seqs.last { state.entries[id]?.pushedThrough = last }
            return state.entries[id]?.pending.count ?? 0
        }
    }

    func unacknowledged(_ id: String) -> Int {
        state.withLock { $0.entries[id]?.pending.count ?? 0 }
    }

    func confirm(_ id: String) {
        state.withLock { $0.entries[id]?.confirmed = true }
    }

    func isConfirmed(_ id: String) -> Bool {
        state.withLock { $0.entries[id]?.confirmed ?? false }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    func close() {
        state.withLock { $0.closed = true }
    }
}
