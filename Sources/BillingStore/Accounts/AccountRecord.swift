import BillingCore
import Postgres

/// An account row as stored: settings as set (nil = inherit).
public struct AccountRecord: Sendable, Equatable {
    public var id: Int64
    public var externalID: String?
    public var name: String
    public var currency: String
    public var parentID: Int64?
    public var rootID: Int64
    public var status: String
    public var settings: HierarchySettings
    public var taxCountry: String?
    public var taxVATNumber: String?
    public var taxExempt: Bool
    public var taxExemptionReason: String?
    /// The postal address as a JSON object text.
    public var address: String?
    public var timezone: String?
    public var hasBillingActivity: Bool
    /// The contact linked with the billing role, if any.
    public var billingContactID: Int64?
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    static let columns = """
        id, external_id, name, currency, parent_id, root_id, status, billing_day, payment_terms_days, bill_group,
        subscription_invoicer_id, usage_invoice_recipient_id, tax_account_id, tax_country, tax_vat_number,
        tax_exempt, tax_exemption_reason, address::text AS address, timezone,
        billing_activity_at IS NOT NULL AS has_billing_activity, version,
        (SELECT ac.contact_id FROM account_contacts ac
         WHERE ac.account_id = id AND 'billing' = ANY (ac.roles)) AS billing_contact_id,
        rfc3339(created_at) AS created_at, rfc3339(updated_at) AS updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        externalID = try row.decode("external_id")
        name = try row.decode("name")
        currency = try row.decode("currency")
        parentID = try row.decode("parent_id")
        rootID = try row.decode("root_id")
        status = try row.decode("status")
        settings = HierarchySettings(
            subscriptionInvoicerID: try row.decode("subscription_invoicer_id"),
            usageInvoiceRecipientID: try row.decode("usage_invoice_recipient_id"),
            taxAccountID: try row.decode("tax_account_id"),
            paymentTermsDays: try row.decode("payment_terms_days"),
            billGroup: try row.decode("bill_group"),
            billingDay: try row.decode("billing_day")
        )
        taxCountry = try row.decode("tax_country")
        taxVATNumber = try row.decode("tax_vat_number")
        taxExempt = try row.decode("tax_exempt")
        taxExemptionReason = try row.decode("tax_exemption_reason")
        address = try row.decode("address")
        timezone = try row.decode("timezone")
        hasBillingActivity = try row.decode("has_billing_activity")
        billingContactID = try row.decode("billing_contact_id")
        version = try row.decode("version")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }

    /// The node resolution works on.
    public var node: HierarchyResolution.Node {
        HierarchyResolution.Node(id: id, parentID: parentID, settings: settings)
    }
}
