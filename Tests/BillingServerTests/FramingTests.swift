import BillingClient
import BillingProtocol
import Foundation
import Testing

@Suite struct FramingTests {
    @Test func aLineOverOneMebibyteIsRefusedAndTheConnectionClosed() async throws {
        let server = try await RunningServer.start()
        let client = try await server.connect()
        try await client.sendRaw([UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20) + [UInt8(ascii: "\n")])
        let response = await client.nextUnmatchedResponse()
        guard case .failure(let error)? = response?.outcome else {
            Issue.record("expected an error response, got \(String(describing: response))")
            return
        }
        #expect(error.code == -32600)
        #expect(error.type == "frame_too_large")
        #expect(response?.id == nil)
        await client.waitUntilClosed()
        try await server.stop()
    }

    @Test func aLineOfExactlyTheLimitIsStillRead() async throws {
        let server = try await RunningServer.start()
        let client = try await server.connect()
        let prefix = Array(#"{"jsonrpc":"2.0","id":"big","method":"ping","params":{},"pad":""#.utf8)
        let suffix = Array(#""}"#.utf8)
        let padding = [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) - prefix.count - suffix.count)
        try await client.sendRaw(prefix + padding + suffix + Array("\r\n".utf8))
        let response = await client.nextUnmatchedResponse()
        guard case .failure(let error)? = response?.outcome else {
            Issue.record("expected invalid_request for the unknown member, got \(String(describing: response))")
            return
        }
        #expect(error.type == "invalid_request")
        #expect(response?.id == .string("big"))
        #expect(try await client.call(Ping.self, NoParams()).pong)
        await client.close()
        try await server.stop()
    }

    @Test func aLineThatIsNotJSONGetsAParseErrorAndTheConnectionGoesOn() async throws {
        let server = try await RunningServer.start()
        let client = try await server.connect()
        try await client.sendRaw(Array("this is not json\n".utf8))
        let response = await client.nextUnmatchedResponse()
        guard case .failure(let error)? = response?.outcome else {
            Issue.record("expected a parse error")
            return
        }
        #expect(error.code == -32700)
        #expect(error.type == "parse_error")
        #expect(try await client.call(Ping.self, NoParams()).pong)
        try await client.sendRaw(Array(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#.utf8) + [10])
        guard case .failure(let batch)? = await client.nextUnmatchedResponse()?.outcome else {
            Issue.record("expected a refusal of batches")
            return
        }
        #expect(batch.code == -32600)
        await client.close()
        try await server.stop()
    }

    @Test func aThousandPipelinedPingsAreAllAnsweredWithTheirIds() async throws {
        let server = try await RunningServer.start()
        let client = try await server.connect()
        let ids = (1...1000).map { "ping-\($0)" }
        try await client.sendRaw(ids.flatMap { Line.request(id: $0, method: "ping") })
        var answered: [String] = []
        for _ in ids {
            guard let response = await client.nextUnmatchedResponse(), case .string(let id)? = response.id,
                case .success(let result) = response.outcome, result["pong"] == .bool(true)
            else {
                Issue.record("a ping was not answered")
                break
            }
            answered.append(id)
        }
        #expect(answered.sorted() == ids.sorted())
        await client.close()
        try await server.stop()
    }

    @Test func notificationsGetNoResponse() async throws {
        let server = try await RunningServer.start()
        let client = try await server.connect()
        try await client.sendRaw(
            Array(#"{"jsonrpc":"2.0","method":"ping"}"#.utf8) + [10] + Line.request(id: "after", method: "ping"))
        let response = await client.nextUnmatchedResponse()
        #expect(response?.id == .string("after"))
        await client.close()
        try await server.stop()
    }

    @Test func atMostSixtyFourRequestsRunAtOnceAndTheRestWait() async throws {
        let gate = HoldGate()
        let server = try await RunningServer.start { $0.registerHold(gate) }
        let client = try await server.connect()
        try await client.sendRaw((1...100).flatMap { Line.request(id: "hold-\($0)", method: Hold.name) })
        await gate.waitForRunning(64)
        try await Task.sleep(for: .milliseconds(200))
        #expect(await gate.running == 64)
        await gate.release()
        var answered = Set<RPCID>()
        for _ in 1...100 {
            guard let response = await client.nextUnmatchedResponse(), let id = response.id else { break }
            answered.insert(id)
        }
        #expect(answered.count == 100)
        #expect(await gate.mostAtOnce == 64)
        await client.close()
        try await server.stop()
    }

    @Test func gracefulShutdownFinishesInFlightRequestsAndStopsAccepting() async throws {
        let gate = HoldGate()
        let server = try await RunningServer.start { $0.registerHold(gate) }
        let client = try await server.connect()
        try await client.sendRaw((1...3).flatMap { Line.request(id: "slow-\($0)", method: Hold.name) })
        await gate.waitForRunning(3)
        let stopping = Task { try await server.stop() }
        var refused = false
        for _ in 0..<100 where !refused {
            do {
                await (try await server.connect()).close()
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                refused = true
            }
        }
        #expect(refused, "the server still accepts connections 5 s into its shutdown")
        #expect(await gate.running == 3, "held requests must still be running while the server stops accepting")
        await gate.release()
        var answered = 0
        while let response = await client.nextUnmatchedResponse() {
            if case .success = response.outcome { answered += 1 }
        }
        #expect(answered == 3)
        try await stopping.value
    }
}
