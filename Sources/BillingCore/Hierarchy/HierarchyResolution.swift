/// Resolves inherited settings down an account hierarchy (BILLING.md §10): an account's effective
/// setting is its own if set, else its parent's effective setting, else the default — the account
/// itself for the invoicer, usage recipient and tax account, net 30 for payment terms, none for
/// bill group and billing day.
public enum HierarchyResolution {
    /// Payment terms when no account of the hierarchy sets any (net 30, as Salesforce Billing).
    public static let defaultPaymentTermsDays = 30

    /// An account of a hierarchy as stored: its own settings and its parent.
    public struct Node: Sendable, Equatable {
        public let id: Int64
        public let parentID: Int64?
        public let settings: HierarchySettings

        public init(id: Int64, parentID: Int64?, settings: HierarchySettings) {
            self.id = id
            self.parentID = parentID
            self.settings = settings
        }
    }

    /// One account's effective settings from its own and its parent's effective ones.
    public static func effective(
        of accountID: Int64,
        own: HierarchySettings,
        parent: EffectiveSettings?
    ) -> EffectiveSettings {
        EffectiveSettings(
            subscriptionInvoicerID: own.subscriptionInvoicerID ?? parent?.subscriptionInvoicerID ?? accountID,
            usageInvoiceRecipientID: own.usageInvoiceRecipientID ?? parent?.usageInvoiceRecipientID ?? accountID,
            taxAccountID: own.taxAccountID ?? parent?.taxAccountID ?? accountID,
            paymentTermsDays: own.paymentTermsDays ?? parent?.paymentTermsDays ?? defaultPaymentTermsDays,
            billGroup: own.billGroup ?? parent?.billGroup,
            billingDay: own.billingDay ?? parent?.billingDay
        )
    }

    /// The effective settings of the last node of `chain`, given from the root down.
    public static func effective(alongChain chain: [Node]) -> EffectiveSettings? {
        var resolved: EffectiveSettings?
        for node in chain {
            resolved = effective(of: node.id, own: node.settings, parent: resolved)
        }
        return resolved
    }

    /// Effective settings of every node of a hierarchy (or of a subtree, given the effective
    /// settings above its top), parents before children, in one pass.
    public static func effective(
        ofTree nodes: [Node],
        above: [Int64: EffectiveSettings] = [:]
    ) -> [Int64: EffectiveSettings] {
        var children: [Int64?: [Node]] = [:]
        let ids = Set(nodes.map(\.id))
        for node in nodes {
            let parent = node.parentID.flatMap { ids.contains($0) ? $0 : nil }
            children[parent, default: []].append(node)
        }
        var resolved: [Int64: EffectiveSettings] = [:]
        resolved.reserveCapacity(nodes.count)
        var pending = children[nil] ?? []
        while let node = pending.popLast() {
            let parent = node.parentID.flatMap { resolved[$0] ?? above[$0] }
            resolved[node.id] = effective(of: node.id, own: node.settings, parent: parent)
            pending.append(contentsOf: children[node.id] ?? [])
        }
        return resolved
    }
}
