import BillingProtocol
import BillingStore

extension NewEvent {
    /// An event whose payload is `payload` exactly as partners see it on the wire.
    static func wire(_ type: String, entity: String, id: String, _ payload: some Encodable) throws -> NewEvent {
        NewEvent(
            type: type, entity: entity, entityID: id,
            data: String(decoding: try WireCoding.encode(payload), as: UTF8.self))
    }
}
