import Foundation

/// Seeded random and mutated protocol lines: requests built from the real method and field names
/// with values of every JSON type, valid requests with bytes flipped, cut, repeated or spliced,
/// envelopes broken in each known way, and raw noise. Each call gives one line, newline ended.
struct FrameFuzzer {
    var random: SplitMix
    let methods: [String]
    /// Valid requests of the fuzzing tenant, mutated to reach deep into the handlers.
    let corpus: [String]
    private var sequence = 0

    init(seed: UInt64, methods: [String], corpus: [String]) {
        random = SplitMix(seed: seed)
        self.methods = methods
        self.corpus = corpus
    }

    static let fields = [
        "id", "external_id", "name", "currency", "account_id", "parent_id", "root_id", "product_id", "service_code",
        "quantity", "unit_price", "amount", "items", "events", "event_id", "metric", "at", "start_date", "end_date",
        "target_date", "invoice_date", "limit", "cursor", "status", "type", "stage", "prices", "effective_from",
        "allocations", "invoice_id", "payment_id", "rate", "country", "tax_category", "valid_from", "valid_to",
        "billing_process_id", "kind", "frequency", "plan", "percent", "consumer", "from", "to", "subscription_id",
        "filters", "expected_version", "idempotency_key", "auto_post", "account_ids", "ids", "item_ids",
        "activation_date", "received_on", "method", "reference", "services", "code", "email", "phone", "address",
        "line1", "city", "postal_code", "tax", "vat_number", "billing_day", "payment_terms_days", "bill_group", "time",
        "cadence", "opportunity_id", "close_date", "discount_percent", "order_item_id", "credit_note_id", "types",
        "api_key", "api_secret", "operator_token", "client", "legal_entity", "default_currency", "timezone",
    ]

    static let strings = [
        "", "1", "0", "-1", "2", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "1.5",
        "0.000001", "0.0000001", "-0.5", "1e3", "NaN", "abc", "2026-01-31", "2026-02-30", "0000-00-00", "9999-12-31",
        "2026-01-31T10:00:00Z", "2026-13-01T25:61:00Z", "EUR", "JPY", "XXX", "eur", "FR", "ZZ", "monthly", "recurring",
        "usage", "one_time", "installments", "closed_won", "draft", "active", "invoice", "start",
        String(repeating: "x", count: 300), "Ünïcødé 🎉", "\u{0}", "' OR 1=1 --", "%s%n", "\\", "\"", "NULL",
        "accounts.create",
    ]

    mutating func int(_ bound: Int) -> Int { Int(random.next() % UInt64(max(bound, 1))) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    /// One line for the server.
    mutating func frame() -> [UInt8] {
        sequence += 1
        var line: [UInt8]
        switch int(100) {
        case 0..<40: line = Array(structured().utf8)
        case 40..<75: line = mutated(Array(pick(corpus).utf8))
        case 75..<88: line = Array(brokenEnvelope().utf8)
        case 88..<94: line = Array(value(depth: 3).utf8)
        default: line = noise()
        }
        return Array(line.prefix(60_000)) + [10]
    }

    /// A request whose method is real (mostly) and whose params use real field names with values
    /// of any type.
    mutating func structured() -> String {
        let method = chance(92) ? pick(methods) : pick(["", "accounts", "accounts.", ".get", "x.y", "ping ", "PING"])
        var members = [#""jsonrpc":"2.0""#, #""method":\#(quoted(method))"#]
        if chance(90) { members.append(#""id":\#(requestID())"#) }
        if chance(90) { members.append(#""params":\#(params(depth: 3))"#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    mutating func requestID() -> String {
        switch int(10) {
        case 0: "null"
        case 1: quoted(pick(Self.strings))
        case 2: "-\(int(1000))"
        default: "\(sequence)"
        }
    }

    mutating func params(depth: Int) -> String {
        let count = int(6)
        var pairs: [String] = []
        for _ in 0..<count {
            pairs.append("\(quoted(pick(Self.fields))):\(value(depth: depth - 1))")
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    mutating func value(depth: Int) -> String {
        switch int(depth > 0 ? 12 : 9) {
        case 0, 1, 2: quoted(pick(Self.strings))
        case 3: pick(["0", "-1", "1", "42", "9223372036854775807", "-9223372036854775808", "18446744073709551616"])
        case 4: pick(["1.5", "-0.0", "1e308", "1e400", "0.1", "1E-7", "2.50"])
        case 5: pick(["true", "false"])
        case 6: "null"
        case 7, 8: quoted(String(sequence))
        case 9: "[" + (0..<int(4)).map { _ in value(depth: depth - 1) }.joined(separator: ",") + "]"
        default: params(depth: depth - 1)
        }
    }

    /// The envelope broken in one of the ways PROTOCOL.md names, or nested past any sane depth.
    mutating func brokenEnvelope() -> String {
        let id = sequence
        return pick([
            #"{"jsonrpc":"1.0","id":\#(id),"method":"ping"}"#,
            #"{"id":\#(id),"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":[1],"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":true,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":7}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"ping","params":[]}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"ping","params":"x"}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"ping","extra":1}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"id":\#(id + 1),"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"accounts.get","params":{"id":"\ud800"}}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"accounts.get","params":{"id":"1","id":"2"}}"#,
            "\u{FEFF}" + #"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"hello","params":{"api_key":"lk_1_x","api_secret":"y"}}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"accounts.list","params":{"limit":1e400}}"#,
            #"[{"jsonrpc":"2.0","id":\#(id),"method":"ping"}]"#,
            "[]", "{}", "null", "\"ping\"", "",
            String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000),
            #"{"jsonrpc":"2.0","id":\#(id),"method":"ping","params":"# + String(repeating: #"{"a":"#, count: 2_000)
                + "1" + String(repeating: "}", count: 2_000) + "}",
        ])
    }

    /// A valid line with one to four edits.
    mutating func mutated(_ original: [UInt8]) -> [UInt8] {
        var bytes = original
        for _ in 0...int(4) {
            guard !bytes.isEmpty else { break }
            let at = int(bytes.count)
            switch int(7) {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes[at] ^= 1 << UInt8(int(8))
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + int(8)))
            case 3: bytes.insert(contentsOf: Array(pick(Self.strings).utf8), at: at)
            case 4: bytes = Array(bytes.prefix(at))
            case 5:
                let end = min(bytes.count, at + 1 + int(40))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            default:
                bytes.insert(
                    contentsOf: Array(pick(["\"", "{", "}", "[", "]", ":", ",", "\\", "-", "0"]).utf8), at: at)
            }
        }
        return bytes.filter { $0 != 10 }
    }

    mutating func noise() -> [UInt8] {
        (0..<int(200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }.filter { $0 != 10 }
    }

    func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
