import BillingCore
import BillingProtocol
import Postgres

/// Turns whatever a use case threw into the error a partner sees: business rules become
/// `validation_failed`, database outcomes their protocol meaning, anything else `internal`
/// (with the request id only, never the internals).
public enum ErrorTranslation {
    public static func rpcError(for error: any Error, requestID: String) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case let failure as ValidationFailure:
            return RPCError(.validationFailed, failure.message, reason: failure.reason, field: failure.field)
        case let invalid as InvalidParams:
            return RPCError(.invalidParams, invalid.message, fields: invalid.fields)
        case let database as PostgresError:
            return translate(database, requestID: requestID)
        default:
            return internalError(requestID: requestID)
        }
    }

    /// Whether the failure is a defect worth logging as an error (rather than a partner's mistake).
    public static func isDefect(_ error: RPCError) -> Bool {
        error.code == RPCErrorCode.internalError.code
    }

    private static func translate(_ error: PostgresError, requestID: String) -> RPCError {
        if error.code == .commitOutcomeUnknown {
            return RPCError(
                .internalError,
                "the database connection was lost while committing, so the change may or may not have been applied; "
                    + "check before retrying (request \(requestID))",
                requestId: requestID
            )
        }
        if error.code == .invalidParameter {
            return RPCError(.invalidParams, "a text value contains a NUL character", fields: ["(NUL character)"])
        }
        if error.code == .poolClosed || error.isConnectionFailure {
            return RPCError(.unavailable, "the database is unreachable; nothing was done, retry later")
        }
        switch error.sqlState {
        case SQLState.uniqueViolation?:
            return RPCError(.conflict, "an object with the same unique key already exists")
        case SQLState.foreignKeyViolation?:
            return RPCError(.validationFailed, "a referenced object does not exist", reason: "reference_not_found")
        case SQLState.serializationFailure?, SQLState.deadlockDetected?:
            return RPCError(.conflict, "a concurrent change conflicted with this request; nothing was done, retry")
        case SQLState.checkViolation?, SQLState.notNullViolation?:
            return RPCError(.validationFailed, "a value breaks a rule of the data model", reason: "constraint_violated")
        default:
            return internalError(requestID: requestID)
        }
    }

    static func internalError(requestID: String) -> RPCError {
        RPCError(.internalError, "internal error; quote request \(requestID) when reporting it", requestId: requestID)
    }
}
