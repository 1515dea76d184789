import BillingCore
import BillingProtocol
import BillingStore
import Foundation

/// Invoice schedulers: job schedules (kind `invoice_runs.scheduled`) that start an invoice run at
/// every occurrence, which the job workers fire once per occurrence.
public struct InvoiceSchedulerService: Sendable {
    public static let jobKind = "invoice_runs.scheduled"

    let store: BillingStore

    public init(store: BillingStore) {
        self.store = store
    }

    /// What a scheduler's schedule carries to the job it fires.
    public struct Settings: Codable, Equatable, Sendable {
        public var name: String
        public var targetOffsetDays: Int
        public var autoPost: Bool
        public var billGroup: String?
        /// Absent in schedules made before runs could be split: 1.
        public var partitions: Int?

        enum CodingKeys: String, CodingKey {
            case name, partitions
            case targetOffsetDays = "target_offset_days"
            case autoPost = "auto_post"
            case billGroup = "bill_group"
        }
    }

    public func create(_ params: InvoiceSchedulerInput, tenant: TenantID) async throws -> InvoiceScheduler {
        guard let name = params.name, let cadence = params.cadence, let time = params.time else {
            throw RPCError(
                .invalidParams, "name, cadence and time are required",
                fields: [
                    params.name == nil ? "name (missing)" : nil, params.cadence == nil ? "cadence (missing)" : nil,
                    params.time == nil ? "time (missing)" : nil,
                ].compactMap { $0 })
        }
        let settings = Settings(
            name: try FieldRules.name(name, field: "name"), targetOffsetDays: try Self.offset(params.targetOffsetDays),
            autoPost: params.autoPost ?? false, billGroup: try FieldRules.billGroup(params.billGroup),
            partitions: try InvoiceRunService.partitions(params.partitions))
        let second = try Self.secondOfDay(time)
        return try await store.inTenant(tenant) { transaction in
            let schedules = ScheduleRepository(transaction)
            let timezone = try await Self.timezone(in: transaction)
            let cadenceValue = try Self.cadence(
                cadence, weekday: params.weekday, monthDay: params.monthDay, second: second, timezone: timezone)
            var record = try await schedules.create(
                NewSchedule(
                    name: "invoice-run.\(UUID().uuidString.lowercased().prefix(12))", jobKind: Self.jobKind,
                    payload: try Self.json(settings), cadence: cadence,
                    weekday: cadence == "weekly" ? params.weekday : nil,
                    monthDay: cadence == "monthly" ? params.monthDay : nil, secondOfDay: second),
                tenant: tenant, nextRunAt: cadenceValue.next(after: try await schedules.now()))
            if params.enabled == false {
                try await schedules.update(
                    id: record.id, cadence: record.cadence, weekday: record.weekday, monthDay: record.monthDay,
                    secondOfDay: record.secondOfDay, payload: record.payload, enabled: false,
                    nextRunAt: record.nextRunAt)
                record = try await Self.existing(String(record.id), in: transaction)
            }
            let wire = try Self.wire(record)
            try await EventOutbox(transaction).append(
                .wire("invoice_scheduler.created", entity: "invoice_scheduler", id: wire.id, wire))
            return wire
        }
    }

    public func list(_ params: PageRequest, tenant: TenantID) async throws -> Page<InvoiceScheduler> {
        let limit = try Paging.limit(params.limit)
        let after = try Paging.after(params.cursor)
        return try await store.inTenant(tenant) { transaction in
            let records = try await ScheduleRepository(transaction).list(
                jobKind: Self.jobKind, after: after, limit: limit + 1)
            let items = try records.prefix(limit).map(Self.wire)
            return Page(items: items, nextCursor: records.count > limit ? items.last?.id : nil)
        }
    }

    public func update(_ params: InvoiceSchedulersUpdate.Params, tenant: TenantID) async throws -> InvoiceScheduler {
        try await store.inTenant(tenant) { transaction in
            let schedules = ScheduleRepository(transaction)
            let current = try await Self.existing(params.id, in: transaction, forUpdate: true)
            var settings = try Self.settings(of: current)
            if let name = params.name { settings.name = try FieldRules.name(name, field: "name") }
            if let offset = params.targetOffsetDays { settings.targetOffsetDays = try Self.offset(offset) }
            if let autoPost = params.autoPost { settings.autoPost = autoPost }
            if let group = params.billGroup { settings.billGroup = try FieldRules.billGroup(group) }
            if let partitions = params.partitions { settings.partitions = try InvoiceRunService.partitions(partitions) }
            let cadence = params.cadence ?? current.cadence
            let weekday = cadence == "weekly" ? params.weekday ?? current.weekday : nil
            let monthDay = cadence == "monthly" ? params.monthDay ?? current.monthDay : nil
            let second = try params.time.map(Self.secondOfDay) ?? current.secondOfDay
            let cadenceValue = try Self.cadence(
                cadence, weekday: weekday, monthDay: monthDay, second: second, timezone: current.timezone)
            let timingChanged =
                cadence != current.cadence || weekday != current.weekday || monthDay != current.monthDay
                || second != current.secondOfDay
            let enabled = params.enabled ?? current.enabled
            let resumed = enabled && !current.enabled
            let nextRunAt =
                timingChanged || resumed ? cadenceValue.next(after: try await schedules.now()) : current.nextRunAt
            try await schedules.update(
                id: current.id, cadence: cadence, weekday: weekday, monthDay: monthDay, secondOfDay: second,
                payload: try Self.json(settings), enabled: enabled, nextRunAt: nextRunAt)
            let wire = try Self.wire(try await Self.existing(params.id, in: transaction))
            try await EventOutbox(transaction).append(
                .wire("invoice_scheduler.updated", entity: "invoice_scheduler", id: wire.id, wire))
            return wire
        }
    }

    public func delete(_ params: IdentifiedBy, tenant: TenantID) async throws -> InvoiceSchedulersDelete.Result {
        try await store.inTenant(tenant) { transaction in
            let current = try await Self.existing(params.id, in: transaction, forUpdate: true)
            try await ScheduleRepository(transaction).delete(id: current.id)
            let result = InvoiceSchedulersDelete.Result(id: String(current.id), deleted: true)
            try await EventOutbox(transaction).append(
                .wire("invoice_scheduler.deleted", entity: "invoice_scheduler", id: result.id, result))
            return result
        }
    }

    // MARK: - Rules

    private static func existing(
        _ id: String, in transaction: TenantTransaction, forUpdate: Bool = false
    ) async throws -> ScheduleRecord {
        guard let number = Int64(id),
            let record = try await ScheduleRepository(transaction).find(
                id: number, jobKind: jobKind, forUpdate: forUpdate)
        else { throw RPCError(.notFound, "no invoice scheduler \(id)") }
        return record
    }

    private static func timezone(in transaction: TenantTransaction) async throws -> String {
        try await transaction.connection.query("SELECT timezone FROM tenants WHERE id = current_tenant_id()")[0]
            .decode("timezone")
    }

    /// `HH:MM` → seconds after midnight.
    static func secondOfDay(_ text: String) throws -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]),
            let minute = Int(parts[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else {
            throw ValidationFailure(reason: "invalid_time", field: "time", message: "time is HH:MM, 00:00 to 23:59")
        }
        return hour * 3600 + minute * 60
    }

    private static func offset(_ days: Int?) throws -> Int {
        let value = days ?? 0
        guard (-31...31).contains(value) else {
            throw ValidationFailure(
                reason: "invalid_offset", field: "target_offset_days", message: "target_offset_days is -31 to 31")
        }
        return value
    }

    private static func cadence(
        _ cadence: String, weekday: Int?, monthDay: Int?, second: Int, timezone: String
    ) throws -> ScheduleCadence {
        let kind = try FieldRules.oneOf(
            cadence, ["daily", "weekly", "monthly"], field: "cadence", reason: "invalid_cadence")
        guard
            let value = ScheduleCadence(
                cadence: kind, weekday: kind == "weekly" ? weekday : nil, monthDay: kind == "monthly" ? monthDay : nil,
                secondOfDay: second, timeZone: timezone)
        else {
            let field = kind == "weekly" ? "weekday" : "month_day"
            throw ValidationFailure(
                reason: "invalid_cadence", field: field,
                message: "a weekly scheduler needs a weekday 1–7, a monthly one a month_day 1–31")
        }
        return value
    }

    private static func settings(of record: ScheduleRecord) throws -> Settings {
        try JSONDecoder().decode(Settings.self, from: Data(record.payload.utf8))
    }

    private static func json(_ settings: Settings) throws -> String {
        String(decoding: try WireCoding.encode(settings), as: UTF8.self)
    }

    static func wire(_ record: ScheduleRecord) throws -> InvoiceScheduler {
        let settings = try settings(of: record)
        func instant(_ seconds: Int64) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
        }
        let hour = record.secondOfDay / 3600
        let minute = record.secondOfDay % 3600 / 60
        return InvoiceScheduler(
            id: String(record.id), name: settings.name, cadence: record.cadence, weekday: record.weekday,
            monthDay: record.monthDay, time: String(format: "%02d:%02d", hour, minute),
            targetOffsetDays: settings.targetOffsetDays, autoPost: settings.autoPost, billGroup: settings.billGroup,
            enabled: record.enabled, nextRunAt: instant(record.nextRunAt),
            lastRunAt: record.lastOccurrenceAt.map(instant), partitions: settings.partitions ?? 1)
    }
}
