/// One method of the wire contract: its name, its params and result types, and who may call it.
///
/// Shared by the server (which dispatches on it) and the client (which calls through it), so the
/// two cannot disagree about a method's shape.
public protocol RPCMethod: Sendable {
    associatedtype Params: Codable & Sendable
    associatedtype Result: Codable & Sendable
    static var name: String { get }
    static var access: MethodAccess { get }
}

/// Who may call a method.
public enum MethodAccess: Sendable {
    /// Anyone, before or after hello (`ping`, `hello`).
    case anyone
    /// Only a session that said hello with the operator token.
    case operatorOnly
    /// Only a session that said hello with a tenant's API key.
    case tenantOnly
}

/// Params of a method that takes none; any field is unknown.
public struct NoParams: Codable, Sendable, Equatable {
    public init() {}

    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: NoKeys.self)
    }

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: NoKeys.self)
    }

    private struct NoKeys: CodingKey {
        var stringValue: String { "" }
        var intValue: Int? { nil }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }
}
