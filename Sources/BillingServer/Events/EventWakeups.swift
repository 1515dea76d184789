import BillingCore
import BillingStore
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Wakes the sessions pushing a tenant's events as soon as its events commit: it LISTENs on the
/// channel the events table NOTIFYs at each commit (one connection per server process), and
/// counts each tenant's wake-ups so a wake-up that comes between a session's read and its wait is
/// not lost.
public final class EventWakeups: Service, Sendable {
    private struct Tenant {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private struct State {
        var tenants: [Int64: Tenant] = [:]
        var nextWaiter: UInt64 = 0
        /// Waiters whose time ran out before they started waiting.
        var expired: Set<UInt64> = []
    }

    private let state = Mutex(State())
    private let databaseURL: String?
    private let logger: Logger

    /// Without a database URL nothing wakes the sessions early: they read again when their wait
    /// times out.
    public init(databaseURL: String?, logger: Logger) {
        self.databaseURL = databaseURL
        self.logger = logger
    }

    /// LISTENs until cancelled, reconnecting when the connection drops.
    public func run() async throws {
        guard let databaseURL else { return }
        await withGracefulShutdownHandler {
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                do {
                    let listener = try await PostgresListener.connect(
                        url: databaseURL, channels: [EventStream.channel], applicationName: "ledgerline-events")
                    defer { Task { await listener.close() } }
                    while !Task.isCancelled, !Task.isShuttingDownGracefully {
                        for notification in try await listener.wait(upTo: .milliseconds(500)) {
                            if let tenant = Int64(notification.payload) { signal(tenant) }
                        }
                    }
                } catch {
                    logger.warning("event wake-ups unavailable, retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        } onGracefulShutdown: {
        }
    }

    /// The tenant's wake-ups so far: pass it to `wait` after reading.
    func generation(of tenant: TenantID) -> UInt64 {
        state.withLock { $0.tenants[tenant.rawValue]?.generation ?? 0 }
    }

    /// Returns at the tenant's next wake-up (at once if one came since `generation`), after
    /// `timeout`, or when the waiting task is cancelled.
    func wait(for tenant: TenantID, since generation: UInt64, upTo timeout: Duration) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            let timer = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                self.resume(tenant.rawValue, waiter: id)
            }
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.expired.remove(id) != nil { return true }
                    var entry = state.tenants[tenant.rawValue] ?? Tenant()
                    guard entry.generation == generation else { return true }
                    entry.waiters[id] = continuation
                    state.tenants[tenant.rawValue] = entry
                    return false
                }
                if now { continuation.resume() }
            }
            timer.cancel()
            _ = state.withLock { $0.expired.remove(id) }
        } onCancel: {
            self.resume(tenant.rawValue, waiter: id)
        }
    }

    /// Wakes every session waiting for the tenant's events.
    func signal(_ tenant: Int64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            var entry = state.tenants[tenant] ?? Tenant()
            entry.generation += 1
            let waiting = Array(entry.waiters.values)
            entry.waiters = [:]
            state.tenants[tenant] = entry
            return waiting
        }
        for waiter in waiters { waiter.resume() }
    }

    private func resume(_ tenant: Int64, waiter id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.tenants[tenant]?.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return nil
            }
            return waiter
        }
        waiter?.resume()
    }
}
