import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Turns account params into validated stored fields.
enum AccountFields {
    static func validate(_ input: AccountInput) throws -> AccountRepository.Fields {
        let tax = try validTax(input.tax)
        return AccountRepository.Fields(
            externalID: try FieldRules.externalID(input.externalId),
            name: try FieldRules.name(input.name, field: "name"),
            currency: try Currency(code: input.currency).code,
            status: "active",
            settings: HierarchySettings(
                subscriptionInvoicerID: try input.subscriptionInvoicerId.map {
                    try id($0, field: "subscription_invoicer_id")
                },
                usageInvoiceRecipientID: try input.usageInvoiceRecipientId.map {
                    try id($0, field: "usage_invoice_recipient_id")
                },
                taxAccountID: try input.taxAccountId.map { try id($0, field: "tax_account_id") },
                paymentTermsDays: try FieldRules.paymentTermsDays(input.paymentTermsDays),
                billGroup: try FieldRules.billGroup(input.billGroup),
                billingDay: try FieldRules.billingDay(input.billingDay)
            ),
            taxCountry: tax.country,
            taxVATNumber: tax.vatNumber,
            taxExempt: tax.exempt ?? false,
            taxExemptionReason: tax.exemptionReason,
            address: try validAddress(input.address),
            timezone: try FieldRules.timezone(input.timezone)
        )
    }

    /// The stored fields of an account as they are.
    static func current(_ record: AccountRecord) -> AccountRepository.Fields {
        AccountRepository.Fields(
            externalID: record.externalID,
            name: record.name,
            currency: record.currency,
            status: record.status,
            settings: record.settings,
            taxCountry: record.taxCountry,
            taxVATNumber: record.taxVATNumber,
            taxExempt: record.taxExempt,
            taxExemptionReason: record.taxExemptionReason,
            address: record.address.flatMap(normalized),
            timezone: record.timezone
        )
    }

    /// A stored address in the same text form as a validated one, so equal addresses compare equal.
    private static func normalized(_ stored: String) -> String? {
        guard let address = try? JSONDecoder().decode(Address.self, from: Data(stored.utf8)),
            let encoded = try? WireCoding.encode(address)
        else { return stored }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// The fields after an `accounts.update`: only what the params name changes.
    static func apply(_ params: AccountsUpdate.Params, to record: AccountRecord) throws -> AccountRepository.Fields {
        var fields = current(record)
        if let name = params.name { fields.name = try FieldRules.name(name, field: "name") }
        if let currency = params.currency { fields.currency = try Currency(code: currency).code }
        if let status = params.status {
            guard status == "active" || status == "suspended" else {
                throw ValidationFailure(
                    reason: "invalid_status",
                    field: "status",
                    message: "status can be set to active or suspended; use accounts.close to close an account"
                )
            }
            fields.status = status
        }
        if case .set(let externalID) = params.externalId { fields.externalID = try FieldRules.externalID(externalID) }
        if case .set(let day) = params.billingDay { fields.settings.billingDay = try FieldRules.billingDay(day) }
        if case .set(let days) = params.paymentTermsDays {
            fields.settings.paymentTermsDays = try FieldRules.paymentTermsDays(days)
        }
        if case .set(let group) = params.billGroup { fields.settings.billGroup = try FieldRules.billGroup(group) }
        if case .set(let invoicer) = params.subscriptionInvoicerId {
            fields.settings.subscriptionInvoicerID = try invoicer.map { try id($0, field: "subscription_invoicer_id") }
        }
        if case .set(let recipient) = params.usageInvoiceRecipientId {
            fields.settings.usageInvoiceRecipientID = try recipient.map {
                try id($0, field: "usage_invoice_recipient_id")
            }
        }
        if case .set(let taxAccount) = params.taxAccountId {
            fields.settings.taxAccountID = try taxAccount.map { try id($0, field: "tax_account_id") }
        }
        if case .set(let tax) = params.tax {
            let valid = try validTax(tax)
            fields.taxCountry = valid.country
            fields.taxVATNumber = valid.vatNumber
            fields.taxExempt = valid.exempt ?? false
            fields.taxExemptionReason = valid.exemptionReason
        }
        if case .set(let address) = params.address { fields.address = try validAddress(address) }
        if case .set(let timezone) = params.timezone { fields.timezone = try FieldRules.timezone(timezone) }
        return fields
    }

    /// An account id from the wire; one that cannot exist is simply not found.
    static func id(_ text: String, field: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else {
            throw RPCError(.notFound, "no account \(text) (\(field))")
        }
        return id
    }

    private static func validTax(_ tax: AccountTax?) throws -> AccountTax {
        guard var tax else { return AccountTax(exempt: false) }
        if let country = tax.country { tax.country = try CountryCode(country, field: "tax.country").code }
        if tax.exempt == true, (tax.exemptionReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationFailure(
                reason: "exemption_reason_required",
                field: "tax.exemption_reason",
                message: "a tax-exempt account needs the exemption reason printed on its invoices"
            )
        }
        return tax
    }

    /// The address as stored (JSON object text), its fields checked.
    static func validAddress(_ address: Address?, field: String = "address") throws -> String? {
        guard let address else { return nil }
        let valid = Address(
            line1: try FieldRules.required(address.line1, field: "\(field).line1"),
            line2: address.line2,
            city: try FieldRules.required(address.city, field: "\(field).city"),
            postalCode: try FieldRules.required(address.postalCode, field: "\(field).postal_code"),
            country: try CountryCode(address.country, field: "\(field).country").code
        )
        return String(decoding: try WireCoding.encode(valid), as: UTF8.self)
    }
}
