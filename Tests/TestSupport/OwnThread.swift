import Foundation

/// Blocking work (a child process, a socket read) run on a thread of its own, so that it does not
/// hold one of the two threads of Swift's cooperative pool, which every other test of the process
/// shares: blocking them made unrelated tests' timers and closes late by seconds.
public enum OwnThread {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result(catching: body)) }
            thread.start()
        }
    }
}
