import Foundation
import Owner
import Synchronization
import Testing

/// A fresh folder for one test's PIN file, removed afterwards.
private func withFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("OwnerPIN-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

private let noon = Date(timeIntervalSince1970: 1_763_800_000)

@Suite("Manager PIN")
struct OwnerManagerPINTests {
    @Test func aSetPINIsAcceptedAndAnotherRejected() throws {
        try withFolder { folder in
            let store = ManagerPINStore(directory: folder)
            #expect(store.check("4826", now: noon) == .notSet)
            #expect(!store.isSet)
            try store.set(new: "4826", old: nil, now: noon)
            #expect(store.isSet)
            #expect(store.check("4826", now: noon) == .accepted)
            #expect(store.check("4827", now: noon) == .rejected(attemptsLeft: 2))
            #expect(store.check("48260", now: noon) == .rejected(attemptsLeft: 1))
            // A right PIN resets the count: two more wrong ones are allowed again.
            #expect(store.check("4826", now: noon) == .accepted)
            #expect(store.check("0000", now: noon) == .rejected(attemptsLeft: 2))
        }
    }

    @Test(arguments: ["123", "123456789", "12a4", "12 34", "", "١٢٣٤", "+1234"])
    func pinsOutsideTheRulesAreRefusedWithoutEchoingThem(pin: String) throws {
        try withFolder { folder in
            let store = ManagerPINStore(directory: folder)
            let error = #expect(throws: OwnerError.self) { try store.set(new: pin, old: nil, now: noon) }
            guard case .pinNotAllowed? = error else {
                Issue.record("expected pinNotAllowed, got \(String(describing: error))")
                return
            }
            if !pin.isEmpty { #expect(error?.description.contains(pin) == false) }
            #expect(!store.isSet)
        }
    }

    @Test func threeWrongPINsLockForFiveMinutesEvenAcrossRestarts() throws {
        try withFolder { folder in
            try ManagerPINStore(directory: folder).set(new: "4826", old: nil, now: noon)
            let first = ManagerPINStore(directory: folder)
            #expect(first.check("1111", now: noon) == .rejected(attemptsLeft: 2))
            #expect(first.check("2222", now: noon.addingTimeInterval(1)) == .rejected(attemptsLeft: 1))
            let until = noon.addingTimeInterval(2 + 300)
            #expect(first.check("3333", now: noon.addingTimeInterval(2)) == .lockedOut(until: until))

            // A new instance (the till restarted) reads the lock from the file; even the right PIN waits.
            let restarted = ManagerPINStore(directory: folder)
            #expect(restarted.check("4826", now: noon.addingTimeInterval(60)) == .lockedOut(until: until))
            #expect(restarted.check("4826", now: until.addingTimeInterval(-0.5)) == .lockedOut(until: until))

            // After the lock, the right PIN works, and the count starts again from zero.
            #expect(restarted.check("4826", now: until) == .accepted)
            #expect(restarted.check("9999", now: until) == .rejected(attemptsLeft: 2))
        }
    }

    @Test func wrongAttemptsPersistAcrossInstances() throws {
        try withFolder { folder in
            try ManagerPINStore(directory: folder).set(new: "20250615", old: nil, now: noon)
            #expect(ManagerPINStore(directory: folder).check("1", now: noon) == .rejected(attemptsLeft: 2))
            #expect(ManagerPINStore(directory: folder).check("2", now: noon) == .rejected(attemptsLeft: 1))
            #expect(ManagerPINStore(directory: folder).check("20250615", now: noon) == .accepted)
        }
    }

    /// Six stores on one file, as six processes (two tills, `shroff refund`…) would each have,
    /// try a wrong PIN at once. Each reads the count, derives the PIN and writes the count back:
    /// without a lock that every one of them takes, several read the same count and wrong tries
    /// are lost, so the right PIN would be let in after six wrong ones.
    @Test func wrongPINsTriedAtOnceThroughSeveralStoresAllCount() throws {
        try withFolder { folder in
            try ManagerPINStore(directory: folder).set(new: "4826", old: nil, now: noon)
            let answers = Mutex<[PINCheck]>([])
            let done = DispatchGroup()
            for _ in 0..<6 {
                done.enter()
                Thread.detachNewThread {
                    let answer = ManagerPINStore(directory: folder).check("0000", now: noon)
                    answers.withLock { $0.append(answer) }
                    done.leave()
                }
            }
            done.wait()
            let all = answers.withLock { $0 }
            #expect(all.filter { if case .rejected = $0 { true } else { false } }.count == 2, "\(all)")
            #expect(all.filter { if case .lockedOut = $0 { true } else { false } }.count == 4, "\(all)")
            #expect(ManagerPINStore(directory: folder).check("4826", now: noon) == .lockedOut(until: noon.addingTimeInterval(ManagerPINStore.lockout)))
        }
    }

    @Test func changingThePINNeedsTheCurrentOne() throws {
        try withFolder { folder in
            let store = ManagerPINStore(directory: folder)
            try store.set(new: "4826", old: nil, now: noon)
            #expect(throws: OwnerError.pinAlreadySet) { try store.set(new: "1357", old: nil, now: noon) }
            #expect(throws: OwnerError.wrongPIN(attemptsLeft: 2)) { try store.set(new: "1357", old: "0000", now: noon) }
            #expect(store.check("4826", now: noon) == .accepted)
            #expect(store.check("1357", now: noon) == .rejected(attemptsLeft: 2))

            try store.set(new: "1357", old: "4826", now: noon)
            #expect(store.check("1357", now: noon) == .accepted)
            #expect(store.check("4826", now: noon) == .rejected(attemptsLeft: 2))
        }
    }

    @Test func theFileHoldsASaltedHashReadableByTheOwnerOnly() throws {
        try withFolder { folder in
            let store = ManagerPINStore(directory: folder)
            try store.set(new: "4826", old: nil, now: noon)
            #expect(store.path == folder + "/manager-pin")
            let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            let text = try String(contentsOfFile: store.path, encoding: .utf8)
            #expect(!text.contains("4826"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(json["algorithm"] as? String == "PBKDF2-HMAC-SHA256")
            #expect((json["iterations"] as? Int ?? 0) >= 200_000)
            let salt = try #require(Data(base64Encoded: json["salt"] as? String ?? ""))
            let hash = try #require(Data(base64Encoded: json["hash"] as? String ?? ""))
            #expect(salt.count == 16)
            #expect(hash.count == 32)
            #expect(json["failedAttempts"] as? Int == 0)

            // The same PIN set again gets a new salt, so a new hash: nothing to match across files.
            try store.set(new: "4826", old: "4826", now: noon)
            let again = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.path))) as? [String: Any])
            #expect(again["salt"] as? String != json["salt"] as? String)
            #expect(again["hash"] as? String != json["hash"] as? String)
            // No temporary file is left beside it; its lock file holds nothing.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["manager-pin", "manager-pin.lock"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/manager-pin.lock")).isEmpty)
        }
    }

    @Test func aDamagedFileIsReportedAndNeverAccepts() throws {
        try withFolder { folder in
            let store = ManagerPINStore(directory: folder)
            try Data("not json".utf8).write(to: URL(fileURLWithPath: store.path))
            #expect(store.check("4826", now: noon) == .notSet)
            let error = #expect(throws: OwnerError.self) { try store.verify("4826", now: noon) }
            guard case .pinFileDamaged? = error else {
                Issue.record("expected pinFileDamaged, got \(String(describing: error))")
                return
            }
            // The folder's random name may hold those digits too: only the rest must not.
            #expect(error?.description.replacingOccurrences(of: folder, with: "").contains("4826") == false)
        }
    }

    @Test func theStoreLivesBesideTheLedger() {
        let store = ManagerPINStore(ledgerPath: "/var/lib/shroff/ledger.sqlite")
        #expect(store.path == "/var/lib/shroff/manager-pin")
    }
}
