// swift-tools-version:6.2
import PackageDescription

// Layers, top to bottom; a target depends only on targets in the layers below its own:
//   shroff                      the executable: argument parsing and wiring (shroff-bench beside it: timings,
//                               with ThrowawayPostgres, a PostgreSQL cluster of its own, as the tests have)
//   TerminalUI                  the cashier's screen: pure state and frames, the ncurses driver
//   Owner                       the manager PIN, X/Z day reports, receipts and their printer; no terminal
//   NotifyServer, Sandbox       HTTP servers: the notification receiver; the gateways' simulators
//   WantuGateway, PaymaxGateway, AggregatorGateway, CloudPayGateway, Till
//                               the gateways (over Signing, HTTPTransport); the checkout runner (over Ledger)
//   SQLiteLedger, PostgresLedger
//                               the ledger in one SQLite file (GRDB): the default; on a PostgreSQL server (postgres-nio)
//   Signing, HTTPTransport, QRCode, Config, Ledger
//                               the first three over their C modules only (Signing also over CProcess: a
//                               process holding keys keeps them out of core dumps), Config and Ledger over CheckoutCore
//                               (Config also over Signing: key files are checked as the configuration loads;
//                               and over Words: `[store] language` names a catalog);
//                               Ledger is the ledger's protocol and rules, no database
//   Words                       the wording of every message, one catalog per language (over CheckoutCore)
//   CheckoutCore                pure: money, orders, payment codes, the checkout state machines, the gateway protocol
//   ScannerDevice               the scanner as a device of its own: evdev and HID POS reading (over CInput only)
//   CCrypto, CCurl, CNcursesw, CQRencode, CInput, CProcess
//                               C libraries (CInput, CProcess: Linux's headers, no library) behind a shim header
// Each C module is imported by exactly one Swift target, with `internal import`: no C type crosses a public API.
let package = Package(
    name: "Shroff",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shroff", targets: ["shroff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries, each behind a shim header.
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CQRencode", path: "Sources/CQRencode", pkgConfig: "libqrencode",
                       providers: [.apt(["libqrencode-dev"])]),
        // Linux's input ioctls (EVIOCGRAB, hidraw, uinput) and struct input_event: headers only.
        .systemLibrary(name: "CInput", path: "Sources/CInput"),
        // prctl and setrlimit for a process that holds keys (no core dumps): headers only.
        .systemLibrary(name: "CProcess", path: "Sources/CProcess"),

        // Pure: money, payment codes, orders, the checkout state machines, the gateway protocol.
        .target(name: "CheckoutCore"),
        // The wording of every message in each language: one gettext catalog per language.
        .target(name: "Words", dependencies: ["CheckoutCore"], resources: [.copy("Catalogs")]),
        .target(name: "Signing", dependencies: ["CCrypto", "CProcess"]),
        .target(name: "HTTPTransport", dependencies: ["CCurl"]),
        .target(name: "QRCode", dependencies: ["CQRencode"]),
        // The scanner read from its own device (evdev with EVIOCGRAB, or HID POS over hidraw).
        .target(name: "ScannerDevice", dependencies: ["CInput"]),
        .target(name: "Config", dependencies: ["CheckoutCore", "Signing", "Words"]),
        // The ledger's protocol, its values and its rules; each backend in a target of its own.
        .target(name: "Ledger", dependencies: ["CheckoutCore"]),
        .target(name: "SQLiteLedger", dependencies: [
            "CheckoutCore", "Ledger",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The ledger on a PostgreSQL server (postgres-nio): one database for every till of a shop.
        .target(name: "PostgresLedger", dependencies: [
            "CheckoutCore", "Ledger",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "WantuGateway", dependencies: [
            "CheckoutCore", "Signing", "HTTPTransport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Paymax: RSA-signed charges, queries and refunds; webhooks.
        .target(name: "PaymaxGateway", dependencies: [
            "CheckoutCore", "Signing", "HTTPTransport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The unified-order aggregator: MD5-signed form posts, QR orders polled and confirmed by callback.
        .target(name: "AggregatorGateway", dependencies: [
            "CheckoutCore", "Signing", "HTTPTransport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // CloudPay: QR orders completed by its signed notification alone (no query, refund or close).
        .target(name: "CloudPayGateway", dependencies: [
            "CheckoutCore", "Signing", "HTTPTransport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Till", dependencies: [
            "CheckoutCore", "Ledger",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The notification receiver: verifies through each gateway, applies to the ledger.
        .target(name: "NotifyServer", dependencies: [
            "CheckoutCore", "Ledger",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Sandbox", dependencies: [
            "CheckoutCore", "WantuGateway", "PaymaxGateway", "AggregatorGateway", "CloudPayGateway", "Signing", "HTTPTransport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The owner's pieces, no terminal needed: the manager PIN, X/Z day reports, receipts and their printer.
        .target(name: "Owner", dependencies: ["CheckoutCore", "Ledger", "Signing", "Words"]),
        // The cashier's screen: pure state and frames, the scanner's burst detector, the ncurses driver.
        .target(name: "TerminalUI", dependencies: [
            "CheckoutCore", "QRCode", "Till", "Ledger", "Config", "Owner", "CNcursesw", "ScannerDevice", "Words",
        ]),
        .executableTarget(name: "shroff", dependencies: [
            "TerminalUI", "Owner", "CheckoutCore", "Config", "Ledger", "SQLiteLedger", "PostgresLedger", "Till", "WantuGateway", "PaymaxGateway", "AggregatorGateway", "CloudPayGateway", "Signing", "Sandbox", "NotifyServer", "QRCode", "HTTPTransport", "ScannerDevice", "Words",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // A PostgreSQL cluster started in a temporary folder and removed at exit: for the tests
        // (through TestSupport) and shroff-bench, never for a till.
        .target(name: "ThrowawayPostgres"),

        // Prints timings for this machine (`swift run -c release shroff-bench`); never a test.
        .executableTarget(name: "shroff-bench", dependencies: [
            "CheckoutCore", "Ledger", "SQLiteLedger", "PostgresLedger", "ThrowawayPostgres", "Owner", "Till", "WantuGateway", "Sandbox", "NotifyServer", "QRCode", "HTTPTransport",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Test helpers only test targets depend on: a stepping clock, a QR reader (zbarimg),
        // captured logs, loopback sockets, the built `shroff` binary, a transport that records requests,
        // the ledger's conformance rules, a throwaway PostgreSQL cluster, and Python's Big5 and GB
        // codecs (an encoder independent of ours).
        .target(name: "TestSupport", dependencies: [
            "CheckoutCore", "HTTPTransport", "Ledger", "ThrowawayPostgres", .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/TestSupport"),

        .testTarget(name: "CheckoutCoreTests", dependencies: ["CheckoutCore", "TestSupport"]),
        .testTarget(name: "SigningTests", dependencies: ["Signing"]),
        .testTarget(name: "WordsTests", dependencies: ["Words", "CheckoutCore", "TestSupport"]),
        .testTarget(name: "HTTPTransportTests", dependencies: [
            "HTTPTransport", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "CheckoutCore", "Signing", "Words", "PaymaxGateway"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "SQLiteLedger", "CheckoutCore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PostgresLedgerTests", dependencies: ["PostgresLedger", "Ledger", "CheckoutCore", "TestSupport"]),
        .testTarget(name: "WantuGatewayTests", dependencies: [
            "WantuGateway", "CheckoutCore", "HTTPTransport", "TestSupport",
        ],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "PaymaxGatewayTests", dependencies: [
            "PaymaxGateway", "Signing", "CheckoutCore", "HTTPTransport", "TestSupport",
        ],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "AggregatorGatewayTests", dependencies: [
            "AggregatorGateway", "CheckoutCore", "HTTPTransport", "TestSupport",
        ],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "CloudPayGatewayTests", dependencies: [
            "CloudPayGateway", "CheckoutCore", "HTTPTransport", "Signing", "TestSupport",
        ],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SandboxTests", dependencies: [
            "Sandbox", "WantuGateway", "PaymaxGateway", "AggregatorGateway", "CloudPayGateway", "Signing", "NotifyServer", "Till", "Ledger", "SQLiteLedger", "PostgresLedger", "HTTPTransport", "CheckoutCore", "TestSupport",
        ]),
        .testTarget(name: "NotifyServerTests", dependencies: [
            "NotifyServer", "WantuGateway", "Ledger", "SQLiteLedger", "CheckoutCore", "HTTPTransport", "TestSupport",
            "PaymaxGateway", "Sandbox", "Signing", "Till",
        ]),
        .testTarget(name: "TillTests", dependencies: ["Till", "Ledger", "SQLiteLedger", "CheckoutCore", "TestSupport"]),
        .testTarget(name: "OwnerTests", dependencies: ["Owner", "CheckoutCore", "Ledger", "SQLiteLedger", "Words", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "ScannerDevice", "Owner", "CheckoutCore", "Till", "Ledger", "SQLiteLedger", "TestSupport", "Words"]),
        .testTarget(name: "ScannerDeviceTests", dependencies: ["ScannerDevice"]),
        .testTarget(name: "ShroffCLITests", dependencies: ["CheckoutCore", "TestSupport", "ScannerDevice"]),
    ]
)
