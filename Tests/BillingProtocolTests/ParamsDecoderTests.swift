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
}
