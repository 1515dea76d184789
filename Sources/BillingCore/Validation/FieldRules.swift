import Foundation

/// The rules single input fields follow wherever they appear, each failing with a stable reason.
public enum FieldRules {
    /// A display name: trimmed, 1–200 characters.
    public static func name(_ text: String, field: String) throws(ValidationFailure) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(trimmed.count) else {
            throw ValidationFailure(
                reason: "invalid_name", field: field, message: "\(field) must have 1 to 200 characters")
        }
        return trimmed
    }

    /// A partner's own id for an object: 1–200 characters.
    public static func externalID(_ text: String?, field: String = "external_id") throws(ValidationFailure) -> String? {
        guard let text else { return nil }
        guard (1...200).contains(text.count) else {
            throw ValidationFailure(
                reason: "invalid_external_id", field: field, message: "\(field) must have 1 to 200 characters")
        }
        return text
    }

    /// An IANA time zone such as Europe/Paris.
    public static func timezone(_ identifier: String?, field: String = "timezone") throws(ValidationFailure) -> String?
    {
        guard let identifier else { return nil }
        guard TimeZone(identifier: identifier) != nil else {
            throw ValidationFailure(
                reason: "unknown_timezone",
                field: field,
                message: "\"\(identifier)\" is not an IANA time zone such as Europe/Paris"
            )
        }
        return identifier
    }

    /// A day of month recurring charges bill on: 1–31 (short months clamp, BILLING.md §1).
    public static func billingDay(_ day: Int?, field: String = "billing_day") throws(ValidationFailure) -> Int? {
        guard let day else { return nil }
        guard (1...31).contains(day) else {
            throw ValidationFailure(reason: "invalid_billing_day", field: field, message: "\(field) must be 1 to 31")
        }
        return day
    }

    /// Net payment terms in days: 0–365.
    public static func paymentTermsDays(
        _ days: Int?, field: String = "payment_terms_days"
    ) throws(ValidationFailure)
        -> Int?
    {
        guard let days else { return nil }
        guard (0...365).contains(days) else {
            throw ValidationFailure(reason: "invalid_payment_terms", field: field, message: "\(field) must be 0 to 365")
        }
        return days
    }

    /// A bill group label: 1–100 characters.
    public static func billGroup(_ group: String?, field: String = "bill_group") throws(ValidationFailure) -> String? {
        guard let group else { return nil }
        guard (1...100).contains(group.count) else {
            throw ValidationFailure(
                reason: "invalid_bill_group", field: field, message: "\(field) must have 1 to 100 characters")
        }
        return group
    }

    /// Text that must not be blank (address lines, cities, postal codes).
    public static func required(_ text: String, field: String) throws(ValidationFailure) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw ValidationFailure(
                reason: "invalid_value", field: field, message: "\(field) must have 1 to 200 characters")
        }
        return trimmed
    }

    /// An email address: one `@`, a local part, a domain with a dot, no spaces, at most 254 characters.
    public static func email(_ text: String?, field: String = "email") throws(ValidationFailure) -> String? {
        guard let text else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let valid =
            text.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace)
        guard valid else {
            throw ValidationFailure(
                reason: "invalid_email", field: field, message: "\"\(text)\" is not an email address")
        }
        return text
    }

    /// A phone number: digits with spaces, dots, dashes, parentheses and a leading +; 3–40 characters.
    public static func phone(_ text: String?, field: String = "phone") throws(ValidationFailure) -> String? {
        guard let text else { return nil }
        let allowed = Set("0123456789 .-()")
        let body = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard (3...40).contains(text.count), body.allSatisfy(allowed.contains), body.contains(where: \.isNumber) else {
            throw ValidationFailure(reason: "invalid_phone", field: field, message: "\"\(text)\" is not a phone number")
        }
        return text
    }

    /// A contact's roles on an account: billing, shipping, primary; each at most once.
    public static func contactRoles(_ roles: [String]?, field: String = "roles") throws(ValidationFailure) -> [String] {
        let known = ["billing", "shipping", "primary"]
        let given = roles ?? []
        guard given.allSatisfy(known.contains), Set(given).count == given.count else {
            throw ValidationFailure(
                reason: "invalid_role", field: field,
                message: "roles are billing, shipping or primary, each at most once")
        }
        return known.filter(given.contains)
    }

    /// A catalog code: 1–100 letters, digits, `_`, `.` or `-`.
    public static func code(_ text: String, field: String = "code") throws(ValidationFailure) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        guard (1...100).contains(text.count), text.allSatisfy(allowed.contains) else {
            throw ValidationFailure(
                reason: "invalid_code", field: field, message: "\(field) must be 1 to 100 letters, digits, _, . or -")
        }
        return text
    }

    /// One of a fixed set of words.
    public static func oneOf(
        _ text: String, _ allowed: [String], field: String, reason: String
    ) throws(ValidationFailure)
        -> String
    {
        guard allowed.contains(text) else {
            throw ValidationFailure(
                reason: reason, field: field, message: "\(field) must be one of \(allowed.joined(separator: ", "))")
        }
        return text
    }

    /// A short label (units, tax categories): 1–50 characters.
    public static func label(_ text: String?, field: String) throws(ValidationFailure) -> String? {
        guard let text else { return nil }
        guard (1...50).contains(text.count) else {
            throw ValidationFailure(
                reason: "invalid_value", field: field, message: "\(field) must have 1 to 50 characters")
        }
        return text
    }
}
