/// `{id}`: the params of a method that names one object by its id only.
public struct IdentifiedBy: Codable, Sendable, Equatable {
    public var id: String

    public init(id: String) {
        self.id = id
    }
}
