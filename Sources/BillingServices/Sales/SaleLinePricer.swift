import BillingCore
import BillingProtocol
import BillingStore

/// Prices requested line items the way orders price theirs (the same checks, the one price
/// lookup, prices per period of the billing process), then takes off each line's discount.
struct SaleLinePricer {
    let transaction: TenantTransaction
    let account: AccountRecord
    let currency: Currency
    let priceBookID: Int64?
    let start: CalendarDate
    let end: CalendarDate?

    func lines(_ inputs: [OpportunityItemInput]) async throws -> [PricedSaleLine] {
        guard !inputs.isEmpty else { return [] }
        let discounts = try inputs.enumerated().map { index, input in
            try Self.discount(input.discountPercent, field: "items[\(index)].discount_percent")
        }
        let builder = OrderItemBuilder(
            transaction: transaction, account: account, currency: currency, priceBookID: priceBookID,
            orderStart: start, orderEnd: end, alignedBillingDay: nil, accountBillingDay: nil)
        let built = try await builder.build(
            inputs.map {
                OrderItemInput(
                    productId: $0.productId, serviceCode: $0.serviceCode, quantity: $0.quantity,
                    unitPrice: $0.unitPrice, billingProcessId: $0.billingProcessId, startDate: $0.startDate,
                    endDate: $0.endDate)
            })
        return try zip(inputs, zip(built, discounts)).map { input, pair in
            let (item, discount) = pair
            let line = SaleLine(
                productID: item.productID, serviceCode: item.serviceCode, billingProcessID: item.billingProcessID,
                quantity: item.quantity, terms: item.terms, priceSource: item.priceSource, priceID: item.priceID,
                discountPercent: discount, startDate: input.startDate, endDate: input.endDate)
            return PricedSaleLine(line: line, amount: try Self.amount(of: line, currency: currency).description)
        }
    }

    /// The line's total: the discounted price of its quantity, rounded once.
    static func amount(of line: SaleLine, currency: Currency) throws -> Money {
        try Pricing.discountedCharge(
            quantity: line.quantity, terms: line.terms, discountPercent: line.discountPercent, currency: currency)
    }

    /// A discount is 0 to 100 percent with at most two decimals.
    static func discount(_ percent: Decimal6?, field: String) throws -> Decimal6 {
        guard let percent else { return .zero }
        guard percent >= .zero, percent <= Decimal6(100), percent.scaled % 10_000 == 0 else {
            throw ValidationFailure(
                reason: "invalid_discount", field: field, message: "a discount is 0 to 100 percent, in hundredths")
        }
        return percent
    }
}
