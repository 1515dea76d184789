/// How long a purge job keeps rows: a whole number of days from 1 in an environment variable, or
/// the default when it is unset or anything else.
enum RetentionDays {
    static func configured(_ variable: String, default fallback: Int, in environment: [String: String]) -> Int {
        environment[variable].flatMap(Int.init).flatMap { $0 >= 1 ? $0 : nil } ?? fallback
    }
}
