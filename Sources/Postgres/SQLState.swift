/// The SQLSTATE codes the rest of the system reacts to.
public enum SQLState {
    public static let uniqueViolation = "23505"
    public static let foreignKeyViolation = "23503"
    public static let checkViolation = "23514"
    public static let notNullViolation = "23502"
    public static let serializationFailure = "40001"
    public static let deadlockDetected = "40P01"
    public static let insufficientPrivilege = "42501"
    public static let adminShutdown = "57P01"
    public static let cannotConnectNow = "57P03"
}
