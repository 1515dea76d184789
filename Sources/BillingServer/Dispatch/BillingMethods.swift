import BillingCore
import BillingProtocol
import BillingServices
import BillingStore

/// The method table of this server: each protocol method bound to the use case that serves it.
/// (`hello` is handled by the session itself, since it changes the session.)
public enum BillingMethods {
    public static func table(store: BillingStore) -> MethodTable {
        let tenants = TenantService(store: store)
        let accounts = AccountService(store: store)
        let contacts = ContactService(store: store)
        let catalog = CatalogService(store: store)
        let priceBooks = PriceBookService(store: store)
        let prices = PriceService(store: store)
        let jobs = JobService(store: store)
        let processes = BillingProcessService(store: store)
        let orders = OrderService(store: store)
        let billingTransactions = BillingTransactionService(store: store)
        let taxRates = TaxRateService(store: store)
        let invoiceRuns = InvoiceRunService(store: store)
        let invoices = InvoiceService(store: store)
        let invoiceSchedulers = InvoiceSchedulerService(store: store)
        let salesSettings = SalesSettingsService(store: store)
        let opportunities = OpportunityService(store: store)
        let quotes = QuoteService(store: store)
        let renewals = RenewalService(store: store)
        let usage = UsageService(store: store)
        let payments = PaymentService(store: store)
        let receivables = ReceivablesService(store: store)
        let events = EventService(store: store)
        let reports = ReportService(store: store)
        let printer = DocumentPrinter(store: store)
        let health = HealthCheck(store: store)
        var table = MethodTable()
        table.register(Ping.self) { _, _ in Ping.Result(pong: true) }
        table.register(Health.self) { _, _ in await health.report() }
        table.register(TenantsCreate.self) { params, _ in try await tenants.create(params) }
        table.register(TenantsList.self) { params, _ in try await tenants.list(params) }
        table.register(ApiKeysCreate.self) { params, _ in try await tenants.createApiKey(params) }
        table.register(ApiKeysRevoke.self) { params, _ in try await tenants.revokeApiKey(params) }
        table.register(AccountsCreate.self) { try await accounts.create($0, tenant: $1.tenantID()) }
        table.register(AccountsUpsert.self) { try await accounts.upsert($0, tenant: $1.tenantID()) }
        table.register(AccountsGet.self) { try await accounts.get($0, tenant: $1.tenantID()) }
        table.register(AccountsUpdate.self) { try await accounts.update($0, tenant: $1.tenantID()) }
        table.register(AccountsList.self) { try await accounts.list($0, tenant: $1.tenantID()) }
        table.register(AccountsHierarchy.self) { try await accounts.hierarchy($0, tenant: $1.tenantID()) }
        table.register(AccountsSetParent.self) { try await accounts.setParent($0, tenant: $1.tenantID()) }
        table.register(AccountsClose.self) { try await accounts.close($0, tenant: $1.tenantID()) }
        table.register(ContactsCreate.self) { try await contacts.create($0, tenant: $1.tenantID()) }
        table.register(ContactsUpsert.self) { try await contacts.upsert($0, tenant: $1.tenantID()) }
        table.register(ContactsGet.self) { try await contacts.get($0, tenant: $1.tenantID()) }
        table.register(ContactsUpdate.self) { try await contacts.update($0, tenant: $1.tenantID()) }
        table.register(ContactsList.self) { try await contacts.list($0, tenant: $1.tenantID()) }
        table.register(ContactsLink.self) { try await contacts.link($0, tenant: $1.tenantID()) }
        table.register(ContactsUnlink.self) { try await contacts.unlink($0, tenant: $1.tenantID()) }
        table.register(ProductsCreate.self) { try await catalog.createProduct($0, tenant: $1.tenantID()) }
        table.register(ProductsUpsert.self) { try await catalog.upsertProduct($0, tenant: $1.tenantID()) }
        table.register(ProductsGet.self) { try await catalog.getProduct($0, tenant: $1.tenantID()) }
        table.register(ProductsList.self) { try await catalog.listProducts($0, tenant: $1.tenantID()) }
        table.register(ProductsUpdate.self) { try await catalog.updateProduct($0, tenant: $1.tenantID()) }
        table.register(PriceBooksCreate.self) { try await priceBooks.create($0, tenant: $1.tenantID()) }
        table.register(PriceBooksGet.self) { try await priceBooks.get($0, tenant: $1.tenantID()) }
        table.register(PriceBooksList.self) { try await priceBooks.list($0, tenant: $1.tenantID()) }
        table.register(PriceBooksUpdate.self) { try await priceBooks.update($0, tenant: $1.tenantID()) }
        table.register(PriceBooksSetPrices.self) { try await prices.setBookPrices($0, tenant: $1.tenantID()) }
        table.register(PriceBooksListPrices.self) { try await prices.listBookPrices($0, tenant: $1.tenantID()) }
        table.register(PricePlansSet.self) { try await prices.setPlanPrices($0, tenant: $1.tenantID()) }
        table.register(PricePlansGet.self) { try await prices.getPlan($0, tenant: $1.tenantID()) }
        table.register(PricePlansList.self) { try await prices.listPlanPrices($0, tenant: $1.tenantID()) }
        table.register(PricesLookup.self) { try await prices.lookup($0, tenant: $1.tenantID()) }
        table.register(JobsGet.self) { try await jobs.get($0, tenant: $1.tenantID()) }
        table.register(JobsList.self) { try await jobs.list($0, tenant: $1.tenantID()) }
        table.register(JobsRetry.self) { try await jobs.retry($0, tenant: $1.tenantID()) }
        table.register(BillingProcessesCreate.self) { try await processes.create($0, tenant: $1.tenantID()) }
        table.register(BillingProcessesGet.self) { try await processes.get($0, tenant: $1.tenantID()) }
        table.register(BillingProcessesList.self) { try await processes.list($0, tenant: $1.tenantID()) }
        table.register(OrdersCreate.self) { try await orders.create($0, tenant: $1.tenantID()) }
        table.register(OrdersGet.self) { try await orders.get($0, tenant: $1.tenantID()) }
        table.register(OrdersList.self) { try await orders.list($0, tenant: $1.tenantID()) }
        table.register(OrdersAddItems.self) { try await orders.addItems($0, tenant: $1.tenantID()) }
        table.register(OrdersActivate.self) { try await orders.activate($0, tenant: $1.tenantID()) }
        table.register(OrdersActivateMany.self) { try await orders.activateMany($0, tenant: $1.tenantID()) }
        table.register(OrdersTerminateItems.self) { try await orders.terminateItems($0, tenant: $1.tenantID()) }
        table.register(OrdersCancel.self) { try await orders.cancel($0, tenant: $1.tenantID()) }
        table.register(OrdersReachMilestone.self) { try await orders.reachMilestone($0, tenant: $1.tenantID()) }
        table.register(SalesSettingsGet.self) { try await salesSettings.get(tenant: $1.tenantID()) }
        table.register(SalesSettingsUpdate.self) { try await salesSettings.update($0, tenant: $1.tenantID()) }
        table.register(OpportunitiesCreate.self) { try await opportunities.create($0, tenant: $1.tenantID()) }
        table.register(OpportunitiesUpsert.self) { try await opportunities.upsert($0, tenant: $1.tenantID()) }
        table.register(OpportunitiesGet.self) { try await opportunities.get($0, tenant: $1.tenantID()) }
        table.register(OpportunitiesList.self) { try await opportunities.list($0, tenant: $1.tenantID()) }
        table.register(OpportunitiesUpdate.self) { try await opportunities.update($0, tenant: $1.tenantID()) }
        table.register(OpportunitiesSetStage.self) { try await opportunities.setStage($0, tenant: $1.tenantID()) }
        table.register(OpportunitiesSetSchedule.self) {
            try await opportunities.setSchedule($0, tenant: $1.tenantID())
        }
        table.register(QuotesCreate.self) { try await quotes.create($0, tenant: $1.tenantID()) }
        table.register(QuotesGet.self) { try await quotes.get($0, tenant: $1.tenantID()) }
        table.register(QuotesList.self) { try await quotes.list($0, tenant: $1.tenantID()) }
        table.register(QuotesSend.self) { try await quotes.send($0, tenant: $1.tenantID()) }
        table.register(QuotesAccept.self) { try await quotes.accept($0, tenant: $1.tenantID()) }
        table.register(QuotesReject.self) { try await quotes.reject($0, tenant: $1.tenantID()) }
        table.register(RenewalsScan.self) { try await renewals.scan($0, tenant: $1.tenantID()) }
        table.register(UsageRecord.self) { try await usage.record($0, tenant: $1.tenantID()) }
        table.register(UsageSummary.self) { try await usage.summary($0, tenant: $1.tenantID()) }
        table.register(PaymentsRecord.self) { try await payments.record($0, tenant: $1.tenantID()) }
        table.register(PaymentsGet.self) { try await payments.get($0, tenant: $1.tenantID()) }
        table.register(PaymentsList.self) { try await payments.list($0, tenant: $1.tenantID()) }
        table.register(PaymentsAllocate.self) { try await payments.allocate($0, tenant: $1.tenantID()) }
        table.register(PaymentsUnallocate.self) { try await payments.unallocate($0, tenant: $1.tenantID()) }
        table.register(PaymentsRefund.self) { try await payments.refund($0, tenant: $1.tenantID()) }
        table.register(CreditNotesAllocate.self) { try await payments.allocateCreditNote($0, tenant: $1.tenantID()) }
        table.register(AccountsStatement.self) { try await receivables.statement($0, tenant: $1.tenantID()) }
        table.register(ReceivablesAging.self) { try await receivables.aging($0, tenant: $1.tenantID()) }
        table.register(EventsList.self) { try await events.list($0, tenant: $1.tenantID()) }
        table.register(ReportsRun.self) { try await reports.run($0, tenant: $1.tenantID()) }
        table.register(InvoicesPDF.self) { try await printer.invoice($0, tenant: $1.tenantID()) }
        table.register(QuotesPDF.self) { try await printer.quote($0, tenant: $1.tenantID()) }
        table.register(EventsSubscribe.self) { params, context in
            guard let session = context.events else {
                throw RPCError(.unavailable, "this server pushes no events; use events.list")
            }
            let tenant = try context.tenantID()
            let start = try await events.subscribe(params, tenant: tenant)
            let id = session.subscribe(start, tenant: tenant, requestID: context.requestID)
            return EventsSubscribe.Result(subscriptionId: id, cursor: String(start.position))
        }
        table.register(EventsAck.self) { params, context in
            guard let seq = Int64(params.cursor), seq >= 0 else {
                throw ValidationFailure(
                    reason: "invalid_cursor", field: "cursor", message: "a cursor is an event's cursor")
            }
            guard let subscriptions = context.events?.subscriptions,
                let consumer = subscriptions.entry(params.subscriptionId)?.consumer,
                let pushed = subscriptions.lastPushed(params.subscriptionId)
            else { throw RPCError(.notFound, "no subscription \(params.subscriptionId) on this connection") }
            // Acknowledging what was not pushed yet would skip it for good.
            guard seq <= pushed else {
                throw ValidationFailure(
                    reason: "cursor_ahead", field: "cursor",
                    message: "subscription \(params.subscriptionId) has pushed events through \(pushed), not \(seq)")
            }
            _ = try await events.acknowledge(consumer: consumer, cursor: params.cursor, tenant: try context.tenantID())
            _ = subscriptions.acknowledge(params.subscriptionId, through: seq)
            return EventsAck.Result(cursor: params.cursor)
        }
        table.register(TaxRatesCreate.self) { try await taxRates.create($0, tenant: $1.tenantID()) }
        table.register(TaxRatesList.self) { try await taxRates.list($0, tenant: $1.tenantID()) }
        table.register(TaxRatesUpdate.self) { try await taxRates.update($0, tenant: $1.tenantID()) }
        table.register(InvoiceRunsStart.self) { try await invoiceRuns.start($0, tenant: $1.tenantID()) }
        table.register(InvoiceRunsPreview.self) { try await invoiceRuns.preview($0, tenant: $1.tenantID()) }
        table.register(InvoiceRunsGet.self) { try await invoiceRuns.get($0, tenant: $1.tenantID()) }
        table.register(InvoiceRunsList.self) { try await invoiceRuns.list($0, tenant: $1.tenantID()) }
        table.register(InvoiceSchedulersCreate.self) { try await invoiceSchedulers.create($0, tenant: $1.tenantID()) }
        table.register(InvoiceSchedulersList.self) { try await invoiceSchedulers.list($0, tenant: $1.tenantID()) }
        table.register(InvoiceSchedulersUpdate.self) { try await invoiceSchedulers.update($0, tenant: $1.tenantID()) }
        table.register(InvoiceSchedulersDelete.self) { try await invoiceSchedulers.delete($0, tenant: $1.tenantID()) }
        table.register(InvoicesList.self) { try await invoices.list($0, tenant: $1.tenantID()) }
        table.register(InvoicesGet.self) { try await invoices.get($0, tenant: $1.tenantID()) }
        table.register(InvoicesPost.self) { try await invoices.post($0, tenant: $1.tenantID()) }
        table.register(InvoicesVoid.self) { try await invoices.void($0, tenant: $1.tenantID()) }
        table.register(BillingTransactionsList.self) {
            try await billingTransactions.list($0, tenant: $1.tenantID())
        }
        return table
    }
}
