/// The share of an invoice run one job invoices: the hierarchies whose root account id hashes, modulo
/// `count`, to `number`. Hashed, because ids themselves fall into patterns (a root followed by its
/// children makes every root id odd) that would leave some partitions empty. A run in one piece is
/// partition 0 of 1.
public struct RunPartition: Sendable, Equatable {
    public let number: Int
    public let count: Int

    public static let whole = RunPartition(number: 0, count: 1)

    public init(number: Int, count: Int) {
        self.number = number
        self.count = count
    }
}
