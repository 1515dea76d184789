import BillingCore
import BillingProtocol
import Foundation
import Testing

@Suite struct ParamsDecoderTests {
    private func json(_ text: String) throws -> JSONValue {
        try WireCoding.parse(Data(text.utf8))
    }

    private func fields(_ text: String) throws -> [String]? {
        let params = try json(text)
        do throws(InvalidParams) {
            _ = try ParamsDecoder.decode(TenantsCreate.Params.self, from: params)
            return nil
        } catch {
            return error.fields
        }
    }

    @Test func decodesSnakeCaseFieldsAndOptionals() throws {
        let params = try ParamsDecoder.decode(
            TenantsCreate.Params.self,
            from: json(
                #"{"name":"Acme","default_currency":"EUR","legal_entity":{"name":"Acme SAS","country":"FR","vat_number":null}}"#
            )
        )
        #expect(
            params == .init(name: "Acme", defaultCurrency: "EUR", legalEntity: .init(name: "Acme SAS", country: "FR")))
    }

    @Test func reportsUnknownMissingAndMistypedFieldsWithPaths() throws {
        #expect(
            try fields(
                #"{"name":"A","default_currency":"EUR","legal_entity":{"name":"A","country":"FR","vat":"x"},"colour":1}"#
            )
                == ["colour (unknown field)", "legal_entity.vat (unknown field)"]
        )
        #expect(
            try fields(#"{"name":"A","legal_entity":{"name":"A","country":"FR"}}"#) == ["default_currency (missing)"])
        #expect(
            try fields(#"{"name":"A","default_currency":"EUR","legal_entity":{"name":"A"}}"#) == [
                "legal_entity.country (missing)"
            ]
        )
        #expect(
            try fields(#"{"name":"A","default_currency":978,"legal_entity":{"name":"A","country":"FR"}}"#)
                == ["default_currency (expected a string, got number)"]
        )
        #expect(
            try fields(#"{"name":"A","default_currency":"EUR","legal_entity":"FR"}"#)
                == ["legal_entity (expected an object, got string)"]
        )
    }

    @Test func aDecimalSentAsANumberIsRefused() throws {
        struct Priced: Codable, Equatable {
            var unitPrice: String
            enum CodingKeys: String, CodingKey { case unitPrice = "unit_price" }
        }
        #expect(
            try ParamsDecoder.decode(Priced.self, from: json(#"{"unit_price":"12.50"}"#)) == Priced(unitPrice: "12.50"))
        #expect(throws: InvalidParams(fields: ["unit_price (expected a string, got number)"])) {
            try ParamsDecoder.decode(Priced.self, from: try json(#"{"unit_price":12.5}"#))
        }
    }

    @Test func methodsWithoutParamsRefuseAnyField() throws {
        #expect(try ParamsDecoder.decode(NoParams.self, from: json("{}")) == NoParams())
        #expect(throws: InvalidParams(fields: ["x (unknown field)"])) {
            try ParamsDecoder.decode(NoParams.self, from: try json(#"{"x":1}"#))
        }
    }

    @Test func integersMustBeWholeAndInRange() throws {
        #expect(try ParamsDecoder.decode(PageRequest.self, from: json(#"{"limit":10}"#)).limit == 10)
        #expect(throws: InvalidParams.self) {
            try ParamsDecoder.decode(PageRequest.self, from: try json(#"{"limit":1.5}"#))
        }
        #expect(throws: InvalidParams.self) {
            try ParamsDecoder.decode(PageRequest.self, from: try json(#"{"limit":"10"}"#))
        }
    }

    /// `usage.record` decodes its batches straight from the parsed JSON; it is as strict as the
    /// generic path, with the same messages.
    @Test func usageBatchesAreDecodedAsStrictly() throws {
        func usageFields(_ text: String) throws -> [String]? {
            let params = try json(text)
            do throws(InvalidParams) {
                _ = try ParamsDecoder.decode(UsageRecord.Params.self, from: params)
                return nil
            } catch {
                return error.fields
            }
        }
        let decoded = try ParamsDecoder.decode(
            UsageRecord.Params.self,
            from: json(
                #"{"events":[{"event_id":"e1","order_item_id":"7","metric":"calls","quantity":"1.5","at":"2026-12-05T10:00:00Z","account_id":null,"properties":{"region":"eu"}}]}"#
            ))
        #expect(
            decoded.events == [
                UsageEventInput(
                    eventId: "e1", orderItemId: "7", metric: "calls", quantity: Decimal6("1.5")!,
                    at: "2026-12-05T10:00:00Z", properties: .object(["region": .string("eu")]))
            ])
        #expect(
            try usageFields(
                #"{"events":[{"event_id":"e1","metric":"m","quantity":"1","at":"t","colour":1},{"event_id":"e2","metric":"m","quantity":"1","at":"t","size":2}]}"#
            ) == ["events[0].colour (unknown field)", "events[1].size (unknown field)"])
        #expect(
            try usageFields(#"{"events":[{"metric":"m","quantity":"1","at":"t"}]}"#) == ["events[0].event_id (missing)"]
        )
        #expect(
            try usageFields(#"{"events":[{"event_id":"e","metric":"m","quantity":1,"at":"t"}]}"#)
                == ["events[0].quantity (expected a string, got number)"])
        #expect(
            try usageFields(#"{"events":[{"event_id":"e","metric":"m","quantity":"0.1234567","at":"t"}]}"#)
                == [
                    #"events[0].quantity (expected a decimal string with at most 6 fractional digits, got "0.1234567")"#
                ])
        #expect(try usageFields(#"{"events":{}}"#) == ["events (expected an array, got object)"])
        #expect(try usageFields(#"{}"#) == ["events (missing)"])
    }
}
