/// An ISO 3166-1 alpha-2 country code (plus XK, Kosovo, which EU VAT systems use).
///
/// Countries decide tax: which VAT rates apply and whether a sale crosses an EU border.
public struct CountryCode: Hashable, Sendable, CustomStringConvertible {
    public let code: String

    public init(_ code: String, field: String = "country") throws(ValidationFailure) {
        guard Self.known.contains(code) else {
            throw ValidationFailure(
                reason: "unknown_country",
                field: field,
                message: "\"\(code)\" is not an ISO 3166-1 alpha-2 country code"
            )
        }
        self.code = code
    }

    public var description: String { code }

    private static let known: Set<String> = Set(
        """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV \
        BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES \
        ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE \
        IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
        MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU \
        NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM \
        SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE \
        VG VI VN VU WF WS XK YE YT ZA ZM ZW
        """.split(separator: " ").map(String.init)
    )
}

extension CountryCode {
    /// The 27 member states of the EU VAT area (Greece's code is GR here, EL in VIES).
    public var isEUMember: Bool { Self.europeanUnion.contains(code) }

    private static let europeanUnion: Set<String> = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
        "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ]
}
