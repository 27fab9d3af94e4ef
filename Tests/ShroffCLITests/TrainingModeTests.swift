import Foundation
import Testing

/// With no configuration file anywhere, shroff is in training mode: an in-process sandbox, a
/// training ledger under $XDG_DATA_HOME/shroff, and "[TRAINING]" on everything it says.
@Suite("Training mode, with no configuration", .timeLimit(.minutes(1)))
struct TrainingModeTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    @Test("`shroff` alone says it is training mode and where the training ledger is")
    func infoSaysTraining() async throws {
        let run = try await till.run([])

        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdout.contains("TRAINING MODE"), "\(run)")
        #expect(run.stdout.contains("No real money moves"), "\(run)")
        #expect(run.stdout.contains(till.trainingLedger), "\(run)")
    }

    @Test("`shroff --json` says training in one JSON object")
    func infoJSON() async throws {
        let run = try await till.run(["--json"])

        #expect(run.exitCode == 0, "\(run)")
        let object = try run.json()
        #expect(object[bool: "training"] == true)
        #expect(object[strings: "capabilities"]?.contains("barcode pay") == true, "\(run)")
    }

    @Test("rate asks the training sandbox for the HKD to CNY rate")
    func rate() async throws {
        let run = try await till.run(["rate", "--json"])

        #expect(run.exitCode == 0, "\(run)")
        let object = try run.json()
        #expect(object[string: "currency"] == "HKD")
        #expect(object[string: "rate"] == "0.87080000", "\(run)")
        #expect(object[string: "cny_for_100"] == "87.08")
        #expect(object[bool: "training"] == true)
    }

    @Test("pay with a valid WeChat code: PAID, [TRAINING], exit 0, and the ledger has it paid")
    func payPaid() async throws {
        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode])

        #expect(run.exitCode == 0, "\(run)")
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("[TRAINING] Order S"), "\(run)")
        #expect(last.contains("PAID HKD 12.30"), "\(run)")
        #expect(!run.allOutput.contains(TillHome.wechatCode), "the full payment code was shown:\n\(run)")
        #expect(FileManager.default.fileExists(atPath: till.trainingLedger))

        let orders = try await till.run(["orders", "--json"])
        let listed = try #require(try orders.json()[objects: "orders"])
        #expect(listed.count == 1, "\(orders)")
        #expect(listed.first?[string: "status"] == "paid")
        #expect(listed.first?[string: "amount"] == "12.30")
        #expect(listed.first?[string: "code"] == TillHome.maskedWechatCode)
    }

    @Test("pay --json prints exactly one object: training, paid, the masked code and never the full one")
    func payJSON() async throws {
        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--json"])

        #expect(run.exitCode == 0, "\(run)")
        let object = try run.json()
        #expect(object[bool: "training"] == true)
        #expect(object[string: "result"] == "paid")
        #expect(object[string: "status"] == "paid")
        #expect(object[string: "amount"] == "12.30")
        #expect(object[string: "currency"] == "HKD")
        #expect(object[int: "minor_units"] == 1230)
        #expect(object[string: "wallet"] == "wechat")
        #expect(object[string: "code"] == TillHome.maskedWechatCode)
        #expect(object[int: "exit_code"] == 0)
        #expect(object[string: "order"]?.hasPrefix("S") == true)
        #expect(!run.allOutput.contains(TillHome.wechatCode), "the full payment code was shown:\n\(run)")
        #expect(!till.storedText().contains(TillHome.wechatCode), "the full payment code was written to disk")
    }

    @Test("--verbose logs requests but never the full payment code")
    func verboseKeepsCodeSecret() async throws {
        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--verbose"])

        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stderr.contains("pospay"), "expected the gateway request in the verbose log:\n\(run)")
        #expect(!run.allOutput.contains(TillHome.wechatCode), "the full payment code was shown:\n\(run)")
    }

    @Test("pay --json: progress is silent, so standard error carries nothing")
    func payJSONQuietOnStderr() async throws {
        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--json"])

        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stderr.isEmpty, "a script reading shroff --json gets log noise on standard error:\n\(run.stderr)")
    }

    @Test("in training mode every progress line on standard error says [TRAINING]")
    func progressLinesSayTraining() async throws {
        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode])

        #expect(run.exitCode == 0, "\(run)")
        let lines = run.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.hasPrefix("[TRAINING] "), "a line without [TRAINING]: \(line)")
        }
    }

    @Test("..01: declined for a low balance, exit 2 with the reason; the ledger has it declined")
    func declinedNotEnough() async throws {
        let run = try await till.run(["pay", "--amount", "12.01", "--code", TillHome.wechatCode])

        #expect(run.exitCode == 2, "\(run)")
        #expect(run.stdout.contains("DECLINED"), "\(run)")
        #expect(run.stdout.contains("balance is too low"), "\(run)")

        let orders = try await till.run(["orders", "--json"])
        let listed = try #require(try orders.json()[objects: "orders"])
        #expect(listed.map { $0[string: "status"] } == ["declined"], "\(orders)")
        #expect(try orders.json()[string: "paid"] == "0.00")
    }

    @Test("..01 --json: result declined, no rescan, exit_code 2")
    func declinedNotEnoughJSON() async throws {
        let run = try await till.run(["pay", "--amount", "12.01", "--code", TillHome.wechatCode, "--json"])

        #expect(run.exitCode == 2, "\(run)")
        let object = try run.json()
        #expect(object[string: "result"] == "declined")
        #expect(object[bool: "rescan"] == false)
        #expect(object[int: "exit_code"] == 2)
        #expect(object[string: "message"]?.contains("balance is too low") == true, "\(run)")
    }

    @Test("..02: the code is not valid, exit 2 and the cashier is told to scan again")
    func codeInvalid() async throws {
        let run = try await till.run(["pay", "--amount", "12.02", "--code", TillHome.wechatCode])

        #expect(run.exitCode == 2, "\(run)")
        #expect(run.stdout.contains("DECLINED"), "\(run)")
        #expect(run.stdout.contains("scan again"), "\(run)")

        let json = try await till.run(["pay", "--amount", "12.02", "--code", TillHome.wechatCode, "--json"])
        #expect(json.exitCode == 2, "\(json)")
        #expect(try json.json()[bool: "rescan"] == true)
    }
}
