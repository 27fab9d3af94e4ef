import Foundation
import Testing
import TestSupport

/// The commands' lines for a person in the cashier's language; their JSON the same in every one.
@Suite("Commands in the cashier's language", .timeLimit(.minutes(1)))
struct LanguageCLITests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    @Test("LANG=zh_HK.UTF-8: pay and orders speak Traditional Chinese; --json keeps English keys and codes")
    func payInTraditionalChinese() async throws {
        let hongKong = ["LANG": "zh_HK.UTF-8"]
        let paid = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode], environment: hongKong)
        #expect(paid.exitCode == 0, "\(paid)")
        #expect(paid.stdout.contains("［培訓模式］訂單 S"), "\(paid)")
        #expect(paid.stdout.contains("已付款 HK$12.30（支付平台交易編號"), "\(paid)")
        #expect(paid.stderr.contains("正在向微信支付付款碼 1345**********6789 收取 HK$12.30"), "\(paid)")

        let json = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--json"], environment: hongKong)
        let object = try json.json()
        #expect(object[string: "result"] == "paid")
        #expect(object[string: "status"] == "paid")
        #expect(object[string: "wallet"] == "wechat")
        #expect(object[string: "message"]?.hasPrefix("PAID HKD 12.30 (gateway trade ") == true, "\(json)")

        let orders = try await till.run(["orders"], environment: hongKong)
        #expect(orders.stdout.contains("的訂單："), "\(orders)")
        #expect(orders.stdout.contains("已付款      HK$12.30  微信支付"), "\(orders)")
        #expect(orders.stdout.contains("已付 HK$24.60"), "\(orders)")

        let day = try #require(try await till.run(["orders", "--json"]).json()[string: "date"])
        let reconciled = try await till.run(["reconcile", "--from", day], environment: hongKong)
        #expect(reconciled.exitCode == 0, "\(reconciled)")
        #expect(reconciled.stdout.contains("：2 張訂單相符。") && reconciled.stdout.contains("賬簿與支付平台相符。"), "\(reconciled)")
    }

    @Test("--language zh-Hans beats an English locale; a non-UTF-8 locale gets English and one note saying why")
    func flagAndFallback() async throws {
        _ = try await till.run(["pay", "--amount", "8.00", "--code", TillHome.wechatCode])
        let simplified = try await till.run(["orders", "--language", "zh-Hans"])
        #expect(simplified.stdout.contains("已付款      港币 8.00  微信支付"), "\(simplified)")

        let big5 = try await till.run(["orders"], environment: ["LANG": "zh_HK.BIG5-HKSCS"])
        #expect(big5.stdout.contains("paid        HKD 8.00  WeChat Pay"), "\(big5)")
        let notes = big5.stderr.components(separatedBy: "\n").filter { $0.contains("not UTF-8") }
        #expect(notes.count == 1, "\(big5)")
        #expect(notes.first?.contains("LANG=zh_HK.BIG5-HKSCS") == true, "\(big5)")
    }

    @Test("--language with no catalog: exit 1, the languages there are, nothing done")
    func unknownLanguage() async throws {
        let run = try await till.run(["pay", "--amount", "8.00", "--code", TillHome.wechatCode, "--language", "fr"])
        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("--language \"fr\" is not a language Shroff speaks: use one of en, zh-Hans, zh-Hant"), "\(run)")
        let orders = try await till.run(["orders", "--json"])
        #expect(try orders.json()[objects: "orders"]?.isEmpty == true, "\(orders)")
    }

    @Test("a mistyped amount is refused in the cashier's language; with --json the error stays one English object")
    func badAmountInChinese() async throws {
        let run = try await till.run(["pay", "--amount", "abc", "--code", TillHome.wechatCode, "--language", "zh-Hant"])
        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("「abc」不是金額"), "\(run)")
        let json = try await till.run(["pay", "--amount", "abc", "--code", TillHome.wechatCode, "--language", "zh-Hant", "--json"])
        #expect(json.exitCode == 1, "\(json)")
        #expect(try json.json()[int: "exit_code"] == 1, "\(json)")
        #expect(try json.json()[string: "error"]?.contains("\"abc\" is not an amount") == true, "\(json)")
        let orders = try await till.run(["orders", "--json"])
        #expect(try orders.json()[objects: "orders"]?.isEmpty == true, "\(orders)")
    }

    @Test("notify-server speaks the language: its refusal in training, and its lines once it serves")
    func notifyServerInChinese() async throws {
        let port = try LoopbackHTTP.freePort()
        let refused = try await till.run(["notify-server", "--listen", "127.0.0.1:\(port)", "--language", "zh-Hant"], timeout: .seconds(15))
        #expect(refused.exitCode == 1, "\(refused)")
        #expect(refused.stderr.contains("這是培訓模式") && refused.stderr.contains("--training"), "\(refused)")
        let badListen = try await till.run(["notify-server", "--training", "--listen", "8787", "--language", "zh-Hans"], timeout: .seconds(15))
        #expect(badListen.exitCode == 1, "\(badListen)")
        #expect(badListen.stderr.contains("--listen“8787”不是 HOST:PORT"), "\(badListen)")

        let serving = try till.start(["notify-server", "--training", "--listen", "127.0.0.1:\(port)", "--language", "zh-Hans"])
        try await serving.waitForStderr(containing: "正在 http://127.0.0.1:\(port)/notify/", within: .seconds(30))
        #expect(serving.stderr.contains("按 Ctrl-C 停止。"), "\(serving.stderr)")
        // A second one on the same port says which address it cannot take, in the language.
        let taken = try await till.run(["notify-server", "--training", "--listen", "127.0.0.1:\(port)", "--language", "zh-Hant"], timeout: .seconds(15))
        #expect(taken.exitCode == 1, "\(taken)")
        #expect(taken.stderr.contains("通知接收器無法在 127.0.0.1:\(port) 監聽"), "\(taken)")
        serving.send(SIGTERM)
        #expect(try await serving.finish(within: .seconds(20)).exitCode == 0)
    }

    @Test("a copy of shroff moved without its catalogs says which folder to copy and exits 1; with the folder beside it, it runs")
    func catalogsTravelWithTheProgram() throws {
        let built = try ShroffBinary.url()
        let moved = till.root + "/installed"
        try FileManager.default.createDirectory(atPath: moved, withIntermediateDirectories: true)
        // Copied by cp, not by this process: a copy written here keeps a descriptor open for
        // writing that a process another test forks meanwhile inherits, and running the copy
        // then fails with "text file busy".
        let copy = try Process.run(URL(fileURLWithPath: "/bin/cp"), arguments: [built.path, moved + "/shroff"])
        copy.waitUntilExit()
        #expect(copy.terminationStatus == 0)

        func info() throws -> (status: Int32, stdout: String, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: moved + "/shroff")
            process.arguments = ["info"]
            process.environment = till.environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
        }

        let without = try info()
        #expect(without.status == 1, "\(without)")
        #expect(without.stderr.contains("cannot find its message catalogs: copy the folder Shroff_Words.resources"), "\(without)")
        #expect(without.stdout.isEmpty, "\(without)")

        let resources = built.deletingLastPathComponent().appendingPathComponent("Shroff_Words.resources").path
        try FileManager.default.copyItem(atPath: resources, toPath: moved + "/Shroff_Words.resources")
        let with = try info()
        #expect(with.status == 0, "\(with)")
        #expect(with.stdout.contains("TRAINING"), "\(with)")
    }
}
