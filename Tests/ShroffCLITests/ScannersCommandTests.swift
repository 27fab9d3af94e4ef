import Foundation
import Testing

/// `shroff scanners`: lists input devices for `[scanner] device`, on any machine, and says
/// which scanner the configuration reads now.
@Suite("shroff scanners")
struct ScannersCommandTests {
    @Test("answers on any machine (none found is said, not an error); --json lists devices and the configured one")
    func lists() async throws {
        let till = try TillHome()
        let plain = try await till.run(["scanners"])
        #expect(plain.exitCode == 0, "\(plain)")
        #expect(plain.stdout.contains("Keyboards and scanners on this machine") || plain.stdout.contains("No keyboards or scanners found"), "\(plain)")
        #expect(plain.stdout.contains("Configured now: no [scanner] table"), "\(plain)")

        let config = try till.write("store/config.toml", TillHome.gatewayConfig(port: 9) + "\n\n[scanner]\ndevice = \"/dev/hidraw7\"\n")
        let json = try await till.run(["scanners", "--json", "--config", config])
        #expect(json.exitCode == 0, "\(json)")
        let object = try json.json()
        #expect(object[objects: "devices"] != nil, "\(json)")
        #expect(object[string: "configured"] == "/dev/hidraw7", "\(json)")
    }

    @Test("speaks the language: --language zh-Hant, or [store] language = zh-Hans; --json stays English")
    func inChinese() async throws {
        let till = try TillHome()
        let hongKong = try await till.run(["scanners", "--language", "zh-Hant"])
        #expect(hongKong.exitCode == 0, "\(hongKong)")
        #expect(hongKong.stdout.contains("這部機器上的鍵盤和掃描器") || hongKong.stdout.contains("找不到鍵盤或掃描器"), "\(hongKong)")
        #expect(hongKong.stdout.contains("現時設定：沒有 [scanner] 表"), "\(hongKong)")

        let config = try till.write("store/config.toml", TillHome.gatewayConfig(port: 9).replacingOccurrences(of: "[store]\n", with: "[store]\nlanguage = \"zh-Hans\"\n")
            + "\n\n[scanner]\ndevice = \"/dev/hidraw7\"\nprotocol = \"hid-pos\"\n")
        let mainland = try await till.run(["scanners", "--config", config])
        #expect(mainland.exitCode == 0, "\(mainland)")
        #expect(mainland.stdout.contains("当前配置：[scanner] device = \"/dev/hidraw7\"（hid-pos）。"), "\(mainland)")
        let json = try await till.run(["scanners", "--json", "--config", config])
        #expect(try json.json()[string: "configured"] == "/dev/hidraw7", "\(json)")
        #expect(!json.stdout.contains("当前"), "\(json)")
    }
}
