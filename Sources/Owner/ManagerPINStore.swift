import Foundation
import Signing

/// The manager PIN that guards refunds, kept in a file beside the ledger (`manager-pin`).
///
/// What it promises:
/// - The PIN itself is never stored, logged or put in an error: the file holds a salted
///   PBKDF2-HMAC-SHA256 hash (fresh 16-byte salt on every `set`), written atomically, mode 0600.
/// - A check compares hashes in constant time and takes roughly as long as one derivation
///   (~50–100 ms at the default iterations), which makes guessing slow.
/// - After `maximumAttempts` wrong PINs in a row, no PIN is checked for `lockout`; the count and
///   the lock live in the file, so restarting the till does not reset them. A right PIN resets
///   the count.
/// - Every process counts against the same lockout: each check or change reads and rewrites
///   the file under an exclusive `flock` on `manager-pin.lock` beside it, so two tills, or a
///   till and `shroff refund`, trying at once never lose a wrong attempt.
/// - Setting a PIN when one exists needs the current PIN (`set(new:old:now:)`); a wrong current
///   PIN counts as a wrong attempt. Removing the file is the only way to forget a PIN.
///
/// Safe to share between tasks and processes: reads and writes of the file are serialised by that lock.
public final class ManagerPINStore: Sendable {
    /// The file's name inside the ledger's folder.
    public static let fileName = "manager-pin"
    /// PBKDF2 rounds for new PINs; old files keep the count they were written with.
    public static let defaultIterations = 210_000
    /// Wrong PINs in a row that lock PIN entry.
    public static let maximumAttempts = 3
    /// How long PIN entry stays locked.
    public static let lockout: TimeInterval = 5 * 60

    /// The PIN file's full path.
    public let path: String
    let iterations: Int

    /// A store whose file is `directory/manager-pin`. `iterations` applies to PINs set from now on.
    public init(directory: String, iterations: Int = ManagerPINStore.defaultIterations) {
        self.path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.iterations = iterations
    }

    /// The store beside a ledger file: the PIN file lives in the ledger's folder.
    public convenience init(ledgerPath: String) {
        let folder = (ledgerPath as NSString).deletingLastPathComponent
        self.init(directory: folder.isEmpty ? "." : folder)
    }

    /// True when a PIN file exists.
    public var isSet: Bool { FileManager.default.fileExists(atPath: path) }

    /// Checks a PIN typed at the till. Never throws: a missing or unreadable file answers
    /// `.notSet` (the owner must set the PIN again); `verify` gives the reason instead.
    public func check(_ pin: String, now: Date) -> PINCheck {
        do {
            return try verify(pin, now: now)
        } catch {
            return .notSet
        }
    }

    /// Checks a PIN and records the attempt, or says why the PIN file cannot be used.
    public func verify(_ pin: String, now: Date) throws(OwnerError) -> PINCheck {
        try withFileLock { () throws(OwnerError) -> PINCheck in
            guard var record = try readRecord() else { return .notSet }
            let before = record
            let answer = try attempt(pin, on: &record, now: now)
            if record != before { try writeRecord(record) }
            return answer
        }
    }

    /// Sets the manager PIN. `old` must be the current PIN when one is set (else
    /// `.pinAlreadySet`, `.wrongPIN` or `.pinLockedOut`); `new` must follow `validate`.
    public func set(new: String, old: String?, now: Date) throws(OwnerError) {
        try Self.validate(new)
        try withFileLock { () throws(OwnerError) in try replace(with: new, old: old, now: now) }
    }

    /// `set`'s work, under the file lock.
    private func replace(with new: String, old: String?, now: Date) throws(OwnerError) {
        if var record = try readRecord() {
            guard let old else { throw .pinAlreadySet }
            let answer = try attempt(old, on: &record, now: now)
            switch answer {
            case .accepted:
                break
            case .rejected(let left):
                try writeRecord(record)
                throw .wrongPIN(attemptsLeft: left)
            case .lockedOut(let until):
                try writeRecord(record)
                throw .pinLockedOut(until: until)
            case .notSet:
                break
            }
        }
        let salt: [UInt8]
        let hash: [UInt8]
        do {
            salt = try SecureRandom.bytes(count: 16)
            hash = try PBKDF2.sha256(password: Array(new.utf8), salt: salt, iterations: iterations)
        } catch {
            throw .fileFailed(path: path, action: "derive the PIN hash for", reason: error.description)
        }
        try writeRecord(PINRecord(algorithm: PINRecord.algorithmName, iterations: iterations,
                                  salt: Data(salt).base64EncodedString(), hash: Data(hash).base64EncodedString(),
                                  failedAttempts: 0, lockedUntil: nil))
    }

    /// A manager PIN is 4 to 8 digits (0–9). Messages say what is wrong, never the PIN.
    public static func validate(_ pin: String) throws(OwnerError) {
        guard pin.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) else {
            throw .pinNotAllowed(rule: "use digits 0–9 only (no letters, spaces or signs).")
        }
        guard (4...8).contains(pin.unicodeScalars.count) else {
            throw .pinNotAllowed(rule: "use 4 to 8 digits (this one has \(pin.unicodeScalars.count)).")
        }
    }

    /// Applies one attempt to `record`: lock, hash compare, count. The caller writes it back.
    private func attempt(_ pin: String, on record: inout PINRecord, now: Date) throws(OwnerError) -> PINCheck {
        if let until = record.lockedUntil.map(Date.init(timeIntervalSince1970:)) {
            // While locked, no PIN is even derived: a locked till gives no timing to learn from.
            if now < until { return .lockedOut(until: until) }
            record.lockedUntil = nil
            record.failedAttempts = 0
        }
        guard let salt = Data(base64Encoded: record.salt), let stored = Data(base64Encoded: record.hash),
              !salt.isEmpty, stored.count == 32, record.iterations >= 1 else {
            throw .pinFileDamaged(path: path, reason: "its salt or hash is not valid")
        }
        let derived: [UInt8]
        do {
            derived = try PBKDF2.sha256(password: Array(pin.utf8), salt: Array(salt), iterations: record.iterations)
        } catch {
            throw .pinFileDamaged(path: path, reason: error.description)
        }
        if constantTimeEquals(Data(derived).base64EncodedString(), stored.base64EncodedString()) {
            record.failedAttempts = 0
            return .accepted
        }
        record.failedAttempts += 1
        if record.failedAttempts >= Self.maximumAttempts {
            let until = now.addingTimeInterval(Self.lockout)
            record.lockedUntil = until.timeIntervalSince1970
            record.failedAttempts = 0
            return .lockedOut(until: until)
        }
        return .rejected(attemptsLeft: Self.maximumAttempts - record.failedAttempts)
    }
}

/// The PIN file's JSON. Holds no PIN: only how to re-derive and compare its hash.
struct PINRecord: Codable, Equatable {
    static let algorithmName = "PBKDF2-HMAC-SHA256"

    var algorithm: String
    var iterations: Int
    /// Base64.
    var salt: String
    /// Base64 of the 32-byte derived key.
    var hash: String
    var failedAttempts: Int
    /// Seconds since 1970 (UTC), while locked.
    var lockedUntil: Double?
}
