import Metrics
import Prometheus

/// This process's metrics, kept by swift-prometheus behind swift-metrics and written out in the
/// Prometheus text format by the health and metrics port.
enum MetricsExport {
    static let registry = PrometheusCollectorRegistry()

    /// Once per process, before any metric is made.
    static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    static func text() -> String {
        registry.emitToString()
    }
}
