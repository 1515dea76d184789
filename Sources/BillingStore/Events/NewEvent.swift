/// A state change to publish to partners, written in the same transaction as the change itself.
public struct NewEvent: Sendable, Equatable {
    /// `entity.verb`, e.g. `account.created`.
    public let type: String
    /// The kind of object changed, e.g. `account`.
    public let entity: String
    public let entityID: String
    /// The event's payload as a JSON object text.
    public let data: String

    public init(type: String, entity: String, entityID: String, data: String) {
        self.type = type
        self.entity = entity
        self.entityID = entityID
        self.data = data
    }
}
