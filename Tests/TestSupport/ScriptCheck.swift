import Foundation

/// Python's codecs, as an encoder and decoder independent of ours.
public enum ScriptCheck {
    /// The characters of `text` that `codec` cannot encode.
    public static func unencodable(_ text: String, codec: String) throws -> String {
        let script = """
            import sys
            text = sys.stdin.buffer.read().decode("utf-8")
            def ok(c):
                try:
                    c.encode("\(codec)"); return True
                except UnicodeEncodeError:
                    return False
            sys.stdout.write("".join(sorted({c for c in text if not ok(c)})))
            """
        let runner = Process()
        runner.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        runner.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        runner.standardInput = input
        runner.standardOutput = output
        try runner.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        runner.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

extension ScriptCheck {
    /// `bytes` decoded by Python's `codec` ("big5", "gb18030"); throws when Python cannot.
    public static func decode(_ bytes: [UInt8], codec: String) throws -> String {
        let script = """
            import sys
            sys.stdout.buffer.write(sys.stdin.buffer.read().decode("\(codec)").encode("utf-8"))
            """
        let runner = Process()
        runner.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        runner.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        runner.standardInput = input
        runner.standardOutput = output
        try runner.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        runner.waitUntilExit()
        struct Undecodable: Error { var codec: String }
        guard runner.terminationStatus == 0 else { throw Undecodable(codec: codec) }
        return String(decoding: data, as: UTF8.self)
    }
}
