/// How a product's service is billed: every period, once, or by measured usage.
public enum ServiceKind: String, CaseIterable, Sendable {
    case recurring
    case oneTime = "one_time"
    case usage
}
