import BillingCore
import Testing

@Suite struct HierarchyResolutionTests {
    /// Five levels, 1 → 2 → 3 → 4 → 5, with overrides at levels 1 and 3 (BILLING.md §10).
    private let fiveLevels: [HierarchyResolution.Node] = [
        .init(
            id: 1, parentID: nil, settings: .init(subscriptionInvoicerID: 1, paymentTermsDays: 45, billGroup: "north")),
        .init(id: 2, parentID: 1, settings: .init()),
        .init(id: 3, parentID: 2, settings: .init(usageInvoiceRecipientID: 3, taxAccountID: 2, billingDay: 15)),
        .init(id: 4, parentID: 3, settings: .init()),
        .init(id: 5, parentID: 4, settings: .init(paymentTermsDays: 10)),
    ]

    @Test func everyLevelInheritsTheNearestSetting() {
        let resolved = HierarchyResolution.effective(ofTree: fiveLevels)
        let root = EffectiveSettings(
            subscriptionInvoicerID: 1, usageInvoiceRecipientID: 1, taxAccountID: 1, paymentTermsDays: 45,
            billGroup: "north", billingDay: nil
        )
        let three = EffectiveSettings(
            subscriptionInvoicerID: 1, usageInvoiceRecipientID: 3, taxAccountID: 2, paymentTermsDays: 45,
            billGroup: "north", billingDay: 15
        )
        #expect(resolved[1] == root)
        #expect(resolved[2] == root)
        #expect(resolved[3] == three)
        #expect(resolved[4] == three)
        #expect(
            resolved[5]
                == EffectiveSettings(
                    subscriptionInvoicerID: 1, usageInvoiceRecipientID: 3, taxAccountID: 2, paymentTermsDays: 10,
                    billGroup: "north", billingDay: 15
                )
        )
    }

    @Test func aChainResolvesLikeTheTree() {
        let tree = HierarchyResolution.effective(ofTree: fiveLevels)
        for depth in 1...5 {
            #expect(HierarchyResolution.effective(alongChain: Array(fiveLevels.prefix(depth))) == tree[Int64(depth)])
        }
        #expect(HierarchyResolution.effective(alongChain: []) == nil)
    }

    @Test func aRootWithNothingSetDefaultsToItselfAndNet30() {
        let lone = HierarchyResolution.effective(of: 9, own: .init(), parent: nil)
        #expect(lone.subscriptionInvoicerID == 9 && lone.usageInvoiceRecipientID == 9 && lone.taxAccountID == 9)
        #expect(lone.paymentTermsDays == 30)
        #expect(lone.billGroup == nil && lone.billingDay == nil)
    }

    @Test func aSubtreeResolvesAgainstWhatIsAboveIt() {
        let above: [Int64: EffectiveSettings] = [
            7: .init(
                subscriptionInvoicerID: 7, usageInvoiceRecipientID: 7, taxAccountID: 7, paymentTermsDays: 60,
                billGroup: nil, billingDay: 1)
        ]
        let subtree: [HierarchyResolution.Node] = [
            .init(id: 3, parentID: 7, settings: .init(usageInvoiceRecipientID: 3)),
            .init(id: 4, parentID: 3, settings: .init()),
        ]
        let resolved = HierarchyResolution.effective(ofTree: subtree, above: above)
        #expect(
            resolved[4]
                == .init(
                    subscriptionInvoicerID: 7, usageInvoiceRecipientID: 3, taxAccountID: 7, paymentTermsDays: 60,
                    billGroup: nil, billingDay: 1))
    }

    @Test func tenThousandAccountsResolveInOnePass() {
        var nodes = [HierarchyResolution.Node(id: 1, parentID: nil, settings: .init(paymentTermsDays: 14))]
        for id in Int64(2)...10_000 {
            nodes.append(.init(id: id, parentID: id / 2, settings: id == 3 ? .init(billGroup: "three") : .init()))
        }
        let resolved = HierarchyResolution.effective(ofTree: nodes)
        #expect(resolved.count == 10_000)
        #expect(resolved.values.allSatisfy { $0.paymentTermsDays == 14 && $0.subscriptionInvoicerID == 1 })
        // 6 → 3, 12 → 6 → 3: descendants of 3 carry its bill group; 4's line does not.
        #expect(resolved[12]?.billGroup == "three")
        #expect(resolved[8]?.billGroup == nil)
    }
}
