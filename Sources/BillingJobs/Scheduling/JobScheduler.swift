import BillingCore
import BillingStore
import Foundation
import Logging
import ServiceLifecycle

/// Fires due job schedules, as a `Service`: each due schedule enqueues one job for its latest
/// occurrence and moves on to its next one, in one transaction that skips schedules another
/// process is firing. So every occurrence fires once however many processes run, and after
/// downtime a schedule fires once, not once per missed occurrence. The job's `dedup_key` names
/// the occurrence, a second guard against firing it twice.
public struct JobScheduler: Service {
    private let store: BillingStore
    private let builtIn: [BuiltInSchedule]
    private let interval: Duration
    private let logger: Logger

    public init(store: BillingStore, builtIn: [BuiltInSchedule], interval: Duration, logger: Logger) {
        self.store = store
        self.builtIn = builtIn
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var ticks = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if ticks % 60 == 0 { try await ensureBuiltInSchedules() }
                try await fireDueSchedules()
            } catch {
                logger.error("firing schedules failed", metadata: ["error": "\(error)"])
            }
            ticks += 1
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Fires what is due now; returns how many schedules fired.
    @discardableResult
    public func fireDueSchedules() async throws -> Int {
        try await store.asWorker { transaction in
            let schedules = ScheduleRepository(transaction)
            let (due, now) = try await schedules.due(limit: 100)
            for schedule in due {
                guard let cadence = Self.cadence(of: schedule) else {
                    logger.error(
                        "schedule has an unknown time zone or cadence; trying again tomorrow",
                        metadata: ["schedule": "\(schedule.id)", "tenant": "\(schedule.tenantID)"])
                    try await schedules.advance(schedule, occurrence: now, nextRunAt: now + 86_400)
                    continue
                }
                let occurrence = cadence.latest(atOrBefore: now)
                let occurrenceText = Self.rfc3339(occurrence)
                let tenant = try await transaction.actingFor(schedule.tenantID)
                try await JobRepository(tenant).enqueue(
                    NewJob(
                        kind: schedule.jobKind,
                        payload: Self.payload(schedule.payload, occurrence: occurrenceText),
                        dedupKey: "schedule:\(schedule.name):\(occurrenceText)"))
                try await schedules.advance(schedule, occurrence: occurrence, nextRunAt: cadence.next(after: now))
            }
            return due.count
        }
    }

    private func ensureBuiltInSchedules() async throws {
        try await store.asWorker { transaction in
            for schedule in builtIn {
                try await ScheduleRepository(transaction).ensureForEveryTenant(schedule.definition)
            }
        }
    }

    static func cadence(of schedule: ScheduleRecord) -> ScheduleCadence? {
        ScheduleCadence(
            cadence: schedule.cadence, weekday: schedule.weekday, monthDay: schedule.monthDay,
            secondOfDay: schedule.secondOfDay, timeZone: schedule.timezone)
    }

    /// The schedule's payload with the occurrence the job is for.
    static func payload(_ payload: String, occurrence: String) -> String {
        var object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] ?? [:]
        object["occurrence"] = occurrence
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func rfc3339(_ instant: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(instant)))
    }
}
