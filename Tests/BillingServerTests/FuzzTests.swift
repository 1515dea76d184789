import BillingClient
import BillingProtocol
import BillingServer
import BillingStore
import Foundation
import NIOConcurrencyHelpers
import Testing

/// Issue 15, bad input: random and mutated frames never crash or hang the server, every answer is
/// a well-formed response with one of PROTOCOL.md's error codes (never `internal`), and another
/// tenant is served all along. `LEDGERLINE_FUZZ_FRAMES` sets how many (100,000 by default; `make
/// soak` sends millions) and `LEDGERLINE_FUZZ_SEED` repeats a run.
@Suite struct FuzzTests {
    static let frames = ProcessInfo.processInfo.environment["LEDGERLINE_FUZZ_FRAMES"].flatMap { Int($0) } ?? 100_000
    static let seed =
        ProcessInfo.processInfo.environment["LEDGERLINE_FUZZ_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 1 ... .max)

    /// The type word each code may carry.
    static let types: [Int: Set<String>] = [
        -32700: ["parse_error"], -32600: ["invalid_request", "frame_too_large"], -32601: ["method_not_found"],
        -32602: ["invalid_params"], -32001: ["unauthenticated"], -32002: ["forbidden"], -32003: ["not_found"],
        -32004: ["conflict"], -32005: ["validation_failed"], -32006: ["overloaded"], -32007: ["unavailable"],
        -32008: ["slow_consumer"],
    ]

    /// What was wrong with one line the server sent, or nil when it is a well-formed response or
    /// push.
    static func fault(in line: Data) -> String? {
        guard case .object(let fields)? = try? WireCoding.parse(line) else { return "not a JSON object" }
        if fields["id"] == nil, case .string? = fields["method"] { return nil }
        guard fields["jsonrpc"] == .string("2.0") else { return "no jsonrpc 2.0" }
        guard fields.keys.contains("id") else { return "no id" }
        switch (fields["result"], fields["error"]) {
        case (_?, nil):
            return nil
        case (nil, .object(let error)?):
            guard case .integer(let code)? = error["code"], case .string? = error["message"],
                case .string(let type)? = error["data"]?["type"]
            else { return "an error without code, message or data.type" }
            guard code != -32603 else { return "internal error" }
            guard Self.types[Int(code)]?.contains(type) == true else { return "code \(code) with type \(type)" }
            return nil
        default:
            return "neither one result nor one error"
        }
    }

    /// Valid requests of the fuzzing tenant, for the fuzzer to mutate.
    static func corpus(_ client: BillingClient) async throws -> [String] {
        func id(_ method: String, _ params: String) async throws -> String {
            let result = try await client.call(method: method, params: try CrossTenantTests.json(params))
            return CrossTenantTests.string(result["id"]) ?? ""
        }
        let account = try await id("accounts.create", #"{"name":"Fuzz","currency":"EUR","billing_day":1}"#)
        let product = try await id(
            "products.create",
            #"{"code":"FZ","name":"Fuzz","services":[{"code":"seat","name":"Seat","kind":"recurring"}]}"#)
        let process = try await id(
            "billing_processes.create", #"{"name":"Monthly","kind":"recurring","frequency":"monthly"}"#)
        let item =
            #"{"product_id":"\#(product)","service_code":"seat","quantity":"2","unit_price":"12.5","billing_process_id":"\#(process)"}"#
        let order = try await id(
            "orders.create",
            #"{"account_id":"\#(account)","type":"subscription","start_date":"2026-01-01","items":[\#(item)]}"#)
        let requests = [
            ("accounts.get", #"{"id":"\#(account)"}"#),
            ("accounts.update", #"{"id":"\#(account)","name":"Fuzzed","billing_day":7}"#),
            ("accounts.create", #"{"name":"Fuzz child","currency":"EUR","parent_id":"\#(account)"}"#),
            ("accounts.list", #"{"limit":5}"#),
            ("accounts.hierarchy", #"{"id":"\#(account)"}"#),
            (
                "orders.create",
                #"{"account_id":"\#(account)","type":"investment","start_date":"2026-01-01","items":[\#(item)]}"#
            ),
            ("orders.get", #"{"id":"\#(order)"}"#),
            ("orders.add_items", #"{"id":"\#(order)","items":[\#(item)]}"#),
            ("prices.lookup", #"{"account_id":"\#(account)","product_id":"\#(product)","service_code":"seat"}"#),
            (
                "usage.record",
                #"{"events":[{"event_id":"e1","account_id":"\#(account)","metric":"seat","quantity":"1","at":"2026-01-05T10:00:00Z"}]}"#
            ),
            ("invoice_runs.preview", #"{"target_date":"2026-01-31","account_ids":["\#(account)"]}"#),
            ("invoices.list", #"{"account_id":"\#(account)","limit":3}"#),
            (
                "payments.record",
                #"{"account_id":"\#(account)","amount":"10.50","currency":"EUR","method":"card","received_on":"2026-02-01"}"#
            ),
            (
                "opportunities.create",
                #"{"account_id":"\#(account)","name":"Deal","close_date":"2026-03-01","items":[\#(item)]}"#
            ),
            ("tax_rates.create", #"{"country":"DE","tax_category":"reduced","rate":"7","valid_from":"2021-01-01"}"#),
            ("billing_transactions.list", #"{"account_id":"\#(account)"}"#),
            ("reports.run", #"{"name":"mrr","filters":{"currency":"EUR"}}"#),
            ("contacts.create", #"{"name":"Ann","email":"ann@example.com"}"#),
            (
                "price_plans.set",
                #"{"account_id":"\#(account)","prices":[{"product_id":"\#(product)","service_code":"seat","unit_price":"9","effective_from":"2026-01-01"}]}"#
            ),
            ("events.list", #"{"limit":5}"#),
        ]
        return requests.enumerated().map { index, request in
            #"{"jsonrpc":"2.0","id":\#(index + 1),"method":"\#(request.0)","params":\#(request.1)}"#
        }
    }

    /// Sends `count` fuzzed lines over one connection in rounds, each ended by a ping that must
    /// come back within ten seconds; returns the faults seen.
    static func fuzz(
        port: Int, tenant: TenantsCreate.Result, fuzzer: FrameFuzzer, count: Int
    ) async throws -> (faults: [String], answers: [Int: Int]) {
        var fuzzer = fuzzer
        let connection = try await RawConnection.connect(port: port)
        let (sentinels, arrived) = AsyncStream.makeStream(of: Int.self)
        let reading = Task {
            var faults: [String] = []
            var answers: [Int: Int] = [:]
            for await line in connection.lines {
                answers[code(of: line), default: 0] += 1
                if let fault = fault(in: line) {
                    faults.append("\(fault): \(String(decoding: line.prefix(300), as: UTF8.self))")
                }
                if line.starts(with: Data(#"{"id":"sentinel-"#.utf8)),
                    case .object(let fields)? = try? WireCoding.parse(line),
                    case .string(let id)? = fields["id"], let round = Int(id.dropFirst("sentinel-".count))
                {
                    arrived.yield(round)
                }
            }
            arrived.finish()
            return (faults, answers)
        }
        try await connection.send(
            Array(
                #"{"jsonrpc":"2.0","id":"hello","method":"hello","params":{"api_key":"\#(tenant.apiKey)","api_secret":"\#(tenant.apiSecret)"}}"#
                    .utf8) + [10])
        var waiting = sentinels.makeAsyncIterator()
        var sent = 0
        var round = 0
        var hangs: [String] = []
        while sent < count {
            round += 1
            var batch: [UInt8] = []
            for _ in 0..<min(200, count - sent) { batch += fuzzer.frame() }
            sent += min(200, count - sent)
            batch += Array(#"{"jsonrpc":"2.0","id":"sentinel-\#(round)","method":"ping"}"#.utf8) + [10]
            try await connection.send(batch)
            // A round that does not end within ten seconds is a hang: the connection is closed.
            let watchdog = Task {
                try await Task.sleep(for: .seconds(10))
                await connection.close()
            }
            let came = await waiting.next()
            watchdog.cancel()
            guard came == round else {
                hangs.append("round \(round): the sentinel ping did not come back (got \(String(describing: came)))")
                break
            }
        }
        await connection.close()
        let (faults, answers) = await reading.value
        return (hangs + faults, answers)
    }

    /// The error code of a response line; 0 for a result or anything else.
    static func code(of line: Data) -> Int {
        guard case .integer(let code)? = (try? WireCoding.parse(line))?["error"]?["code"] else { return 0 }
        return Int(code)
    }

    @Test func randomAndMutatedFramesGetWellFormedAnswersWhileOthersAreServed() async throws {
        let server = try await RunningServer.start()
        let (setup, fuzzTenant) = try await server.tenantClient(name: "Fuzz Tenant")
        let corpus = try await Self.corpus(setup)
        await setup.close()
        let (bystander, _) = try await server.tenantClient(name: "Bystander")
        _ = try await bystander.call(
            method: "accounts.create", params: try CrossTenantTests.json(#"{"name":"Calm","currency":"EUR"}"#))
        let methods = BillingMethods.table(store: BillingStore(pool: server.pool)).methodNames.sorted() + ["hello"]

        let done = NIOLockedValueBox(false)
        let watching = Task {
            var latencies: [Duration] = []
            var failures = 0
            let clock = ContinuousClock()
            while !done.withLockedValue({ $0 }) {
                let started = clock.now
                do {
                    _ = try await bystander.call(method: "accounts.list", params: .object([:]))
                } catch {
                    failures += 1
                }
                latencies.append(clock.now - started)
                try? await Task.sleep(for: .milliseconds(20))
            }
            return (latencies, failures)
        }
        let (faults, answers) = try await withThrowingTaskGroup(of: ([String], [Int: Int]).self) { group in
            for connection in 0..<2 {
                let fuzzer = FrameFuzzer(seed: Self.seed &+ UInt64(connection), methods: methods, corpus: corpus)
                group.addTask {
                    try await Self.fuzz(port: server.port, tenant: fuzzTenant, fuzzer: fuzzer, count: Self.frames / 2)
                }
            }
            return try await group.reduce(into: ([String](), [Int: Int]())) { total, one in
                total.0 += one.0
                total.1.merge(one.1, uniquingKeysWith: +)
            }
        }
        done.withLockedValue { $0 = true }
        let (latencies, failures) = await watching.value
        #expect(faults.isEmpty, "seed \(Self.seed): \(faults.count) faults, first: \(faults.prefix(5))")
        // The frames reached every layer: parsing, envelopes, dispatch, params, and the handlers.
        print("fuzz seed \(Self.seed): answers by code \(answers.sorted { $0.key < $1.key })")
        #expect(answers.values.reduce(0, +) >= Self.frames / 2)
        for code in [0, -32700, -32600, -32601, -32602, -32002, -32003, -32005] {
            #expect(answers[code, default: 0] > 0, "no answer with code \(code)")
        }
        #expect(failures == 0 && latencies.count >= 10, "seed \(Self.seed)")
        #expect(latencies.max() ?? .zero < .seconds(5), "the bystander waited \(latencies.max() ?? .zero)")
        #expect(try await bystander.call(Ping.self, NoParams()).pong)
        await bystander.close()
    }
}
