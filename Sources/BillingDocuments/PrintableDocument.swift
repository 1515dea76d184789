/// What a printed invoice, credit note or quote shows (EU Directive 2006/112/EC art. 226): who
/// sells to whom, when, what at which price and VAT rate, the VAT per rate, the totals and the
/// terms. Plain text values, already formatted, so rendering decides nothing about money.
public struct PrintableDocument: Sendable, Equatable {
    /// A party to the document: its name, postal address lines and VAT number.
    public struct Party: Sendable, Equatable {
        public var name: String
        public var address: [String]
        public var vatNumber: String?

        public init(name: String, address: [String], vatNumber: String?) {
            self.name = name
            self.address = address
            self.vatNumber = vatNumber
        }
    }

    public struct Line: Sendable, Equatable {
        public var description: String
        /// The period the line supplies, when it has one.
        public var period: String?
        public var quantity: String
        public var unitPrice: String
        public var vatRate: String
        public var amount: String

        public init(
            description: String, period: String?, quantity: String, unitPrice: String, vatRate: String, amount: String
        ) {
            self.description = description
            self.period = period
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.vatRate = vatRate
            self.amount = amount
        }
    }

    /// The VAT of one rate: what it taxed and the tax.
    public struct VATRow: Sendable, Equatable {
        public var label: String
        public var base: String
        public var amount: String

        public init(label: String, base: String, amount: String) {
            self.label = label
            self.base = base
            self.amount = amount
        }
    }

    /// "Invoice", "Credit note", "Quote" …
    public var title: String
    /// Its number (a draft's: "Draft").
    public var number: String
    /// Label and value pairs under the title: issue date, supply date, due date, terms.
    public var facts: [(String, String)]
    public var seller: Party
    public var buyer: Party
    public var currency: String
    public var lines: [Line]
    public var vat: [VATRow]
    public var subtotal: String
    public var taxTotal: String
    public var total: String
    /// Mentions the law requires (exemption reason, "Reverse charge", the invoice a credit note
    /// corrects).
    public var notes: [String]

    public init(
        title: String, number: String, facts: [(String, String)], seller: Party, buyer: Party, currency: String,
        lines: [Line], vat: [VATRow], subtotal: String, taxTotal: String, total: String, notes: [String]
    ) {
        self.title = title
        self.number = number
        self.facts = facts
        self.seller = seller
        self.buyer = buyer
        self.currency = currency
        self.lines = lines
        self.vat = vat
        self.subtotal = subtotal
        self.taxTotal = taxTotal
        self.total = total
        self.notes = notes
    }

    public static func == (lhs: PrintableDocument, rhs: PrintableDocument) -> Bool {
        lhs.title == rhs.title && lhs.number == rhs.number && lhs.facts.map(\.0) == rhs.facts.map(\.0)
            && lhs.facts.map(\.1) == rhs.facts.map(\.1) && lhs.seller == rhs.seller && lhs.buyer == rhs.buyer
            && lhs.currency == rhs.currency && lhs.lines == rhs.lines && lhs.vat == rhs.vat
            && lhs.subtotal == rhs.subtotal && lhs.taxTotal == rhs.taxTotal && lhs.total == rhs.total
            && lhs.notes == rhs.notes
    }
}
