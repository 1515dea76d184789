import BillingProtocol

/// Every method the server answers, each decoded strictly into its params type and checked
/// against who may call it before its handler runs.
public struct MethodTable: Sendable {
    struct Route: Sendable {
        let access: MethodAccess
        let handle: @Sendable (JSONValue, RequestContext) async throws -> any Encodable & Sendable
    }

    private(set) var routes: [String: Route] = [:]

    public init() {}

    public mutating func register<Method: RPCMethod>(
        _ method: Method.Type,
        _ handler: @escaping @Sendable (Method.Params, RequestContext) async throws -> Method.Result
    ) {
        routes[Method.name] = Route(access: Method.access) { params, context in
            let decoded = try ParamsDecoder.decode(Method.Params.self, from: params)
            return try await handler(decoded, context)
        }
    }

    /// The names of every method registered, for tests that must cover them all.
    public var methodNames: Set<String> { Set(routes.keys) }

    func route(for method: String) -> Route? {
        routes[method]
    }
}
