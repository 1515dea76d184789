import BillingStore
import Metrics

/// Gauges that are read when they are scraped rather than kept up to date: the pool's use and the
/// jobs of every tenant by state.
public struct OperationalGauges: Sendable {
    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    public func refresh() async {
        let pool = await store.pool.usage
        Gauge(label: "ledgerline_pool_connections_open").record(pool.open)
        Gauge(label: "ledgerline_pool_connections_in_use").record(pool.inUse)
        Gauge(label: "ledgerline_pool_connections_max").record(pool.maximum)
        Gauge(label: "ledgerline_pool_waiters").record(pool.waiting)
        guard let jobs = try? await store.asWorker({ try await JobClaims($0).openCountsByState() }) else { return }
        for (state, count) in jobs {
            Gauge(label: "ledgerline_jobs", dimensions: [("state", state)]).record(count)
        }
    }
}
