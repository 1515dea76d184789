/// How busy a pool is at one moment, for the metrics port.
public struct PoolUsage: Sendable, Equatable {
    public let open: Int
    public let inUse: Int
    /// Callers waiting for a connection.
    public let waiting: Int
    public let maximum: Int
}
