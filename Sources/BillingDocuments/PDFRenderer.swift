import CLibHaru
import Foundation

/// Renders a `PrintableDocument` as an A4 PDF with libharu, in an embedded TrueType font (DejaVu
/// Sans by default) so any UTF-8 name prints. Long documents continue over pages, each repeating
/// the title, number and the lines' column heads.
public struct PDFRenderer: Sendable {
    /// The TrueType font embedded: `LEDGERLINE_PDF_FONT`, else Debian's DejaVu Sans.
    public let fontPath: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(fontPath: String? = nil) {
        self.fontPath =
            fontPath ?? ProcessInfo.processInfo.environment["LEDGERLINE_PDF_FONT"]
            ?? "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    }

    /// A length on the page in PDF points (1/72 inch), the unit libharu positions text in; never
    /// an amount.
    typealias Points = Float

    static let width: Points = 595
    static let height: Points = 842
    static let margin: Points = 50
    static let lineHeight: Points = 14

    public func render(_ document: PrintableDocument) throws -> [UInt8] {
        guard let pdf = HPDF_New(nil, nil) else { throw Failure(description: "libharu could not start a document") }
        defer { HPDF_Free(pdf) }
        HPDF_SetCompressionMode(pdf, UInt32(HPDF_COMP_ALL))
        HPDF_UseUTFEncodings(pdf)
        guard HPDF_SetCurrentEncoder(pdf, "UTF-8") == HPDF_OK,
            let name = HPDF_LoadTTFontFromFile(pdf, fontPath, HPDF_TRUE),
            let font = HPDF_GetFont(pdf, name, "UTF-8")
        else { throw Failure(description: "the font \(fontPath) could not be embedded") }
        var writer = PageWriter(pdf: pdf, font: font, document: document)
        try writer.write()
        guard HPDF_SaveToStream(pdf) == HPDF_OK else { throw Failure(description: "the PDF could not be written") }
        var size = HPDF_GetStreamSize(pdf)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        guard bytes.withUnsafeMutableBufferPointer({ HPDF_ReadFromStream(pdf, $0.baseAddress, &size) }) == HPDF_OK
        else { throw Failure(description: "the PDF could not be read back") }
        return Array(bytes.prefix(Int(size)))
    }

    /// Writes the pages top down, starting a new one when the next row would not fit.
    struct PageWriter {
        let pdf: HPDF_Doc
        let font: HPDF_Font
        let document: PrintableDocument
        var page: HPDF_Page?
        var y: Points = 0
        var pages = 0

        init(pdf: HPDF_Doc, font: HPDF_Font, document: PrintableDocument) {
            self.pdf = pdf
            self.font = font
            self.document = document
        }

        /// Right edges of the numeric columns, and where descriptions start.
        static let quantityRight: Points = 330
        static let unitPriceRight: Points = 410
        static let rateRight: Points = 460
        static let amountRight: Points = width - margin

        mutating func write() throws {
            try newPage()
            text(document.seller.name, x: margin, size: 11)
            row()
            addressAndVATNumber(of: document.seller)
            row()
            text("Bill to: \(document.buyer.name)", x: margin, size: 10)
            row(12)
            addressAndVATNumber(of: document.buyer)
            row()
            for (label, value) in document.facts {
                text("\(label): \(value)", x: margin, size: 9)
                row(12)
            }
            row()
            try columnHeads()
            for line in document.lines {
                try ensure(line.period == nil ? 1 : 2)
                text(line.description, x: margin, size: 9)
                right(line.quantity, at: Self.quantityRight)
                right(line.unitPrice, at: Self.unitPriceRight)
                right(line.vatRate, at: Self.rateRight)
                right(line.amount, at: Self.amountRight)
                row()
                if let period = line.period {
                    text(period, x: margin + 10, size: 8)
                    row()
                }
            }
            try ensure(4 + document.vat.count + document.notes.count)
            row()
            for vat in document.vat {
                text("\(vat.label) on \(vat.base)", x: 300, size: 9)
                right(vat.amount, at: Self.amountRight)
                row()
            }
            text("Net total", x: 300, size: 9)
            right(document.subtotal, at: Self.amountRight)
            row()
            text("VAT total", x: 300, size: 9)
            right(document.taxTotal, at: Self.amountRight)
            row()
            text("Total (\(document.currency))", x: 300, size: 11)
            right(document.total, at: Self.amountRight, size: 11)
            row(20)
            for note in document.notes {
                text(note, x: margin, size: 9)
                row()
            }
            if let page { HPDF_Page_EndText(page) }
        }

        /// A new page if fewer than `rows` rows fit on this one.
        /// The lines under a party's name: its postal address, then its VAT number when it has one.
        mutating func addressAndVATNumber(of party: PrintableDocument.Party) {
            for line in party.address {
                text(line, x: margin, size: 9)
                row(12)
            }
            if let vat = party.vatNumber {
                text("VAT number: \(vat)", x: margin, size: 9)
                row(12)
            }
        }

        mutating func ensure(_ rows: Int) throws {
            if y - Points(rows) * PDFRenderer.lineHeight < margin + 20 {
                try newPage()
                try columnHeads()
            }
        }

        mutating func newPage() throws {
            if let page { HPDF_Page_EndText(page) }
            guard let added = HPDF_AddPage(pdf) else { throw Failure(description: "libharu could not add a page") }
            HPDF_Page_SetSize(added, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT)
            HPDF_Page_BeginText(added)
            page = added
            pages += 1
            y = PDFRenderer.height - PDFRenderer.margin
            text("\(document.title) \(document.number)", x: PDFRenderer.margin, size: 14)
            if pages > 1 { right("page \(pages)", at: Self.amountRight, size: 9) }
            row(24)
        }

        mutating func columnHeads() throws {
            text("Description", x: PDFRenderer.margin, size: 9)
            right("Quantity", at: Self.quantityRight)
            right("Unit price", at: Self.unitPriceRight)
            right("VAT", at: Self.rateRight)
            right("Amount", at: Self.amountRight)
            row(18)
        }

        mutating func row(_ height: Points = PDFRenderer.lineHeight) {
            y -= height
        }

        func text(_ value: String, x: Points, size: Points) {
            guard let page else { return }
            HPDF_Page_SetFontAndSize(page, font, size)
            HPDF_Page_TextOut(page, x, y, value)
        }

        func right(_ value: String, at edge: Points, size: Points = 9) {
            guard let page else { return }
            HPDF_Page_SetFontAndSize(page, font, size)
            HPDF_Page_TextOut(page, edge - HPDF_Page_TextWidth(page, value), y, value)
        }
    }
}
