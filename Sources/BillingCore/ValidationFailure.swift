/// A business rule that input broke, with a stable machine `reason` partners can branch on.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable snake_case word, such as `unknown_currency` or `hierarchy_cycle`.
    public let reason: String
    /// The input field at fault, in the wire's snake_case, when one is.
    public let field: String?
    /// What was wrong, in plain words.
    public let message: String

    public init(reason: String, field: String? = nil, message: String) {
        self.reason = reason
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
