/// How long a failed job waits before its next attempt: `base`, doubling with each attempt, never
/// more than `maximum`.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var maximum: Duration

    public init(base: Duration = .seconds(10), maximum: Duration = .seconds(3600)) {
        self.base = base
        self.maximum = maximum
    }

    /// The wait after failed attempt number `attempt` (1 for the first).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = base
        for _ in 1..<max(1, min(attempt, 40)) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}
