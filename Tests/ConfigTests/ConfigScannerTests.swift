import Config
import Foundation
import Testing

@Suite("Configuration: the [scanner] table")
struct ConfigScannerTests {
    private func load(_ scanner: String, in fixture: ConfigFixture) throws(ConfigError) -> ShroffConfiguration {
        let path: String
        do { path = try fixture.write("etc/shroff.toml", ConfigFixture.validConfig + "\n" + scanner) } catch { fatalError("cannot write fixture: \(error)") }
        return try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
    }

    private func refusal(_ scanner: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ConfigError? {
        let fixture = try ConfigFixture()
        do {
            _ = try load(scanner, in: fixture)
            Issue.record("expected [scanner] to be refused", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test("no [scanner] table: the keyboard-wedge scanner, as before")
    func absent() throws {
        let config = try load("", in: try ConfigFixture())
        #expect(config.scanner == nil)
        #expect(config.summary().contains { $0.0 == "Scanner" && $0.1.contains("keyboard wedge") })
    }

    @Test("an evdev node: keyboard protocol, grabbed by default")
    func evdev() throws {
        let config = try load("[scanner]\ndevice = \"/dev/input/by-id/usb-Honeywell-event-kbd\"\n", in: try ConfigFixture())
        #expect(config.scanner == ScannerSettings(device: "/dev/input/by-id/usb-Honeywell-event-kbd", kind: .keyboard, grab: true))
    }

    @Test("a hidraw node speaks HID POS unless told otherwise; grab = false is kept")
    func hidraw() throws {
        let config = try load("[scanner]\ndevice = \"/dev/hidraw2\"\ngrab = false\n", in: try ConfigFixture())
        #expect(config.scanner == ScannerSettings(device: "/dev/hidraw2", kind: .hidPOS, grab: false))
        let told = try load("[scanner]\ndevice = \"/tmp/recorded\"\nprotocol = \"hid-pos\"\n", in: try ConfigFixture())
        #expect(told.scanner?.kind == .hidPOS)
    }

    @Test("a relative device path is taken from the configuration's folder")
    func relative() throws {
        let fixture = try ConfigFixture()
        let config = try load("[scanner]\ndevice = \"scanner.fifo\"\n", in: fixture)
        #expect(config.scanner?.device == fixture.root + "/etc/scanner.fifo")
    }

    @Test("[scanner] without device, an unknown protocol, a grab that is not a boolean, a typo: each refused with its line")
    func refusals() throws {
        let missing = try #require(try refusal("[scanner]\ngrab = true\n"))
        #expect(missing.kind == .missingKey)
        #expect(missing.message.contains("scanner.device is required"))

        let kind = try #require(try refusal("[scanner]\ndevice = \"/dev/hidraw0\"\nprotocol = \"serial\"\n"))
        #expect(kind.kind == .invalidValue)
        #expect(kind.message.contains("\"keyboard\"") && kind.message.contains("\"hid-pos\""))

        let grab = try #require(try refusal("[scanner]\ndevice = \"/dev/hidraw0\"\ngrab = \"yes\"\n"))
        #expect(grab.kind == .wrongType)

        let typo = try #require(try refusal("[scanner]\ndevise = \"/dev/hidraw0\"\n"))
        #expect(typo.kind == .unknownKey)
        #expect(typo.message.contains("did you mean device?"))
        #expect(typo.line != nil)
    }
}
