import Foundation
import Testing

@testable import BillingProtocol

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try WireCoding.parse(Data(text.utf8))
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(
            #" { "a" : [1, -2, 0, 1.5, -0.25e1, 2E3, true, false, null], "b": {"c": "d"}, "e": "" } "#)
        #expect(
            value
                == .object([
                    "a": .array([
                        .integer(1), .integer(-2), .integer(0), .number(1.5), .number(-2.5), .integer(2000),
                        .bool(true), .bool(false), .null,
                    ]),
                    "b": .object(["c": .string("d")]),
                    "e": .string(""),
                ]))
    }

    @Test func numbersFollowJSONDecoder() throws {
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse("1.0") == .integer(1))
        #expect(try parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        #expect(try parse("0.1") == .number(0.1))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(
            try parse(#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 é""#)
                == .string("q\" b\\ s/ \u{08}\u{0C}\n\r\t é 😀 é"))
    }

    @Test(arguments: [
        "", "   ", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "-", "1.", ".5", "1e",
        "+1", "tru", "nul", "\"abc", "\"a\u{01}b\"", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"",
        "[1] 2", "NaN", "1e999",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: (any Error).self) { try parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: (any Error).self) { try WireCoding.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
    }

    @Test func refusesNestingBeyondTheLimitButTakesItUpToIt() throws {
        let depth = JSONParser.maximumDepth
        let deepest = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try parse(deepest) != .null)
        let tooDeep = String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
        #expect(throws: (any Error).self) { try parse(tooDeep) }
    }

    @Test func agreesWithFoundationOnManyRandomDocuments() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let text = try WireCoding.encode(value)
            #expect(try WireCoding.parse(text) == value)
        }
    }

    private static func randomValue(depth: Int, using generator: inout SystemRandomNumberGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: .min ... .max, using: &generator))
        case 3: return .number(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) + 0.5)
        case 4:
            let scalars = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                Character(Unicode.Scalar(UInt32.random(in: 1...0x2FF, using: &generator)) ?? "x")
            }
            return .string(String(scalars) + "😀\"\\")
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0...4, using: &generator) {
                members["k\(index)é"] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }
}
