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
}
