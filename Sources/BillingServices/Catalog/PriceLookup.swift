import BillingCore
import BillingStore

/// The one price lookup every order, quote and `prices.lookup` uses: the price of a product's
/// service for account A on day D is A's negotiated price, or the nearest ancestor's, in effect on
/// D; else the entry of the order's price book; else that of the default price book of the
/// currency. Each source gives its latest entry in effect on D, in the order's currency.
struct PriceLookup {
    let transaction: TenantTransaction

    struct Found {
        let record: PriceRecord
        let source: PriceSource
    }

    /// The price of each wanted service, in input order; `no_price` (naming `field(index)`) when a
    /// service has none.
    func prices(
        _ wanted: [PriceRepository.Wanted],
        for account: AccountRecord,
        currency: String,
        priceBookID: Int64?,
        field: (Int) -> String
    ) async throws -> [Found] {
        let chain = try await AccountRepository(transaction).chain(endingAt: account.id).map(\.id).reversed()
        let found = try await PriceRepository(transaction).lookup(
            wanted, chain: Array(chain), currency: currency, priceBookID: priceBookID)
        return try zip(wanted, found).enumerated().map { index, pair in
            guard let match = pair.1 else {
                let service = pair.0
                throw ValidationFailure(
                    reason: "no_price", field: field(index),
                    message: "product \(service.productID) service \(service.serviceCode) has no \(currency) price "
                        + "for account \(account.id) on \(service.day): no negotiated price, "
                        + (priceBookID.map { "none in price book \($0), " } ?? "")
                        + "none in the default \(currency) price book")
            }
            return Found(record: match.record, source: match.source)
        }
    }
}
