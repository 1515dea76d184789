extension TaxCalculation {
    /// A VAT rate of one tax category, as applied to an invoice. Rates of a higher `priority` are
    /// compound: they apply to the net plus the taxes of lower priorities.
    public struct Rate: Hashable, Sendable {
        /// The tax category, e.g. `standard`, `reduced`; `E` and `AE` for exempt and reverse charge.
        public let category: String
        /// In percent: 20 for 20%.
        public let percent: Decimal6
        public let priority: Int

        public init(category: String, percent: Decimal6, priority: Int = 0) {
            self.category = category
            self.percent = percent
            self.priority = priority
        }
    }
}
