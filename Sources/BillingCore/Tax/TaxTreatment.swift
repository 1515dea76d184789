/// How VAT applies to a buyer (BILLING.md §8), decided by the tax profile of its tax inheritance
/// account and the seller's legal entity.
public enum TaxTreatment: Hashable, Sendable {
    /// Rates of the buyer's country by tax category.
    case standard(country: CountryCode)
    /// Category E, no tax; the reason is printed on the invoice.
    case exempt(reason: String)
    /// Category AE, no tax; the invoice says "Reverse charge".
    case reverseCharge

    /// The text an invoice must carry for this treatment, if any.
    public var mention: String? {
        switch self {
        case .standard: nil
        case .exempt(let reason): reason
        case .reverseCharge: "Reverse charge"
        }
    }

    /// An exempt buyer is exempt; a buyer with a VAT number in another EU country than the seller's
    /// is reverse charged; anyone else pays the rates of their country (the seller's, when the
    /// buyer names none).
    public static func decide(
        seller: CountryCode, buyerCountry: CountryCode?, buyerVATNumber: String?, exempt: Bool, exemptionReason: String?
    ) -> TaxTreatment {
        if exempt { return .exempt(reason: exemptionReason ?? "VAT exempt") }
        let country = buyerCountry ?? seller
        if let number = buyerVATNumber, !number.isEmpty, seller.isEUMember, country.isEUMember, country != seller {
            return .reverseCharge
        }
        return .standard(country: country)
    }
}
