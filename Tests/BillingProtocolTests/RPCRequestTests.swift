import BillingProtocol
import Foundation
import Testing

@Suite struct RPCRequestTests {
    private func parse(_ text: String) -> Result<RPCRequest, RPCRequest.Rejection> {
        Result { () throws(RPCRequest.Rejection) in try RPCRequest.parse(line: Data(text.utf8)) }
    }

    private func rejection(_ text: String) -> (id: RPCID?, type: String, code: Int)? {
        guard case .failure(let rejection) = parse(text) else { return nil }
        return (rejection.id, rejection.error.type, rejection.error.code)
    }

    @Test func aRequestKeepsItsIdMethodAndParams() throws {
        let request = try parse(#"{"jsonrpc":"2.0","id":7,"method":"accounts.create","params":{"name":"Acme"}}"#).get()
        #expect(request.id == .number(7))
        #expect(request.method == "accounts.create")
        #expect(request.params == .object(["name": .string("Acme")]))
        #expect(request.expectsResponse)
        let stringID = try parse(#"{"jsonrpc":"2.0","id":"abc","method":"ping"}"#).get()
        #expect(stringID.id == .string("abc"))
        #expect(stringID.params == .object([:]))
    }

    @Test func aRequestWithoutIdIsANotification() throws {
        let request = try parse(#"{"jsonrpc":"2.0","method":"events.ack","params":{}}"#).get()
        #expect(request.id == nil)
        #expect(!request.expectsResponse)
        let explicitNull = try parse(#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#).get()
        #expect(explicitNull.expectsResponse)
    }

    @Test func malformedLinesAreRefusedWithTheRightCode() {
        #expect(rejection("not json")?.type == "parse_error")
        #expect(rejection("not json")?.code == -32700)
        #expect(rejection(#"{"jsonrpc":"2.0","id":1,"method":"ping""#)?.type == "parse_error")
        #expect(rejection(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)?.type == "invalid_request")
        #expect(rejection(#""ping""#)?.type == "invalid_request")
        #expect(rejection(#"{"id":1,"method":"ping"}"#)?.type == "invalid_request")
        #expect(rejection(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#) == nil)
        #expect(rejection(#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#)?.id == .number(1))
        #expect(rejection(#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#)?.type == "invalid_request")
        #expect(rejection(#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#)?.type == "invalid_request")
        #expect(rejection(#"{"jsonrpc":"2.0","id":1,"method":""}"#)?.type == "invalid_request")
        #expect(rejection(#"{"jsonrpc":"2.0","id":1,"method":"ping","extra":1}"#)?.type == "invalid_request")
        let positional = rejection(#"{"jsonrpc":"2.0","id":"p","method":"ping","params":[1]}"#)
        #expect(positional?.type == "invalid_params")
        #expect(positional?.code == -32602)
        #expect(positional?.id == .string("p"))
    }

    @Test func responsesEchoTheIdAndCarryResultOrError() throws {
        let success = String(
            decoding: try RPCResponse.encode(id: .string("x-1"), result: Ping.Result(pong: true)), as: UTF8.self)
        #expect(success == #"{"id":"x-1","jsonrpc":"2.0","result":{"pong":true}}"#)
        let failure = String(
            decoding: RPCResponse.encode(
                id: nil,
                error: RPCError(.validationFailed, "bad", reason: "currency_mismatch", field: "currency")
            ),
            as: UTF8.self
        )
        #expect(
            failure
                == #"{"error":{"code":-32005,"data":{"field":"currency","reason":"currency_mismatch","type":"validation_failed"},"message":"bad"},"id":null,"jsonrpc":"2.0"}"#
        )
        #expect(!success.contains("\n") && !failure.contains("\n"))
        let decoded = try JSONDecoder().decode(RPCResponse.self, from: Data(failure.utf8))
        #expect(
            decoded.outcome
                == .failure(RPCError(.validationFailed, "bad", reason: "currency_mismatch", field: "currency")))
    }
}
