import BillingCore
import Testing

@Suite struct ReferenceDataTests {
    @Test(arguments: [("EUR", 2), ("USD", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3), ("CLF", 4), ("CHF", 2)])
    func currenciesKnowTheirMinorUnits(code: String, exponent: Int) throws {
        #expect(try Currency(code: code).exponent == exponent)
    }

    @Test func unknownOrMalformedCurrenciesAreRefusedWithAReason() {
        for code in ["EUX", "eur", "EURO", "", "XAU", "XXX"] {
            #expect(
                throws: ValidationFailure(
                    reason: "unknown_currency", field: "currency",
                    message: "\"\(code)\" is not an ISO 4217 currency code")
            ) {
                try Currency(code: code)
            }
        }
    }

    @Test func countriesAreISOAlpha2() throws {
        for code in ["FR", "DE", "GB", "US", "JP", "XK"] {
            #expect(try CountryCode(code).code == code)
        }
        for code in ["ZZ", "fr", "FRA", "UK", "EL", ""] {
            #expect(throws: ValidationFailure.self) { try CountryCode(code, field: "legal_entity.country") }
        }
    }

    @Test func tenantIDsParseOnlyPositiveIntegers() {
        #expect(TenantID("42")?.rawValue == 42)
        #expect(TenantID("0") == nil)
        #expect(TenantID("-1") == nil)
        #expect(TenantID("4x") == nil)
        #expect(TenantID(7).description == "7")
    }
}
