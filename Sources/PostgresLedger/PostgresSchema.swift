import Foundation
import Ledger

/// The ledger's tables on PostgreSQL, as numbered migrations applied in order.
///
/// Whichever process connects first migrates, under an advisory lock, so two tills starting
/// at once migrate once; the others wait, then find the schema current. A database migrated
/// by a newer shroff (a version above `known`) is refused: this one cannot know its rules.
/// A migration, once shipped, never changes; a new one is appended to `migrations` with the
/// next number (the SQLite ledger's are in `SQLiteLedger.migrator`, a list of their own).
enum PostgresSchema {
    static let migrations: [(version: Int, name: String, sql: String)] = [
        (1, "orders, refunds, attempts, events, day closures, sessions", version1),
        (2, "short pay links to QR orders' credentials", version2),
        (3, "each till closes its own day", version3),
    ]

    static var known: Int { migrations.last?.version ?? 0 }

    /// Brings the schema up to date, or refuses one newer than this shroff knows. One
    /// transaction per run: a failed migration leaves the schema as it was.
    /// Returns the version found and the version left.
    @discardableResult
    static func migrate(_ statements: PostgresLink.Statements, server: String) throws -> (from: Int, to: Int) {
        try statements.run("BEGIN")
        do {
            try statements.run("SELECT pg_advisory_xact_lock(?)", [.int(PostgresLink.migrationLock)])
            try statements.run("""
                CREATE TABLE IF NOT EXISTS ledger_schema (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let current = try statements.rows("SELECT COALESCE(MAX(version), 0)::bigint FROM ledger_schema")[0].int(0)
            guard current <= known else {
                throw LedgerError.schemaTooNew(server: server, found: Int(current), known: known)
            }
            for migration in migrations where migration.version > current {
                for statement in Self.statements(migration.sql) { try statements.run(statement) }
                try statements.run("INSERT INTO ledger_schema (version, name) VALUES (?::integer, ?)",
                                   [.int(Int64(migration.version)), .text(migration.name)])
            }
            try statements.run("COMMIT")
            return (Int(current), max(Int(current), known))
        } catch {
            _ = try? statements.run("ROLLBACK")
            throw error
        }
    }

    /// The statements of a script, without its `--` comments, split at each `;` outside quotes
    /// and `$$` bodies (the server takes one statement at a time with bound parameters).
    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inQuotes = false
        var inBody = false
        var inComment = false
        var previous: Character = " "
        for character in script {
            if inComment {
                if character == "\n" { inComment = false }
                previous = character
                continue
            }
            if character == "-" && previous == "-" && !inQuotes && !inBody {
                current.removeLast()  // the first "-"
                inComment = true
                continue
            }
            if character == "'" && !inBody { inQuotes.toggle() }
            if character == "$" && previous == "$" && !inQuotes { inBody.toggle() }
            if character == ";" && !inQuotes && !inBody {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }

    /// Version 1: SQLite's seven migrations as one, with the store and the till on each order.
    /// Dates are bigint milliseconds since 1970 (UTC), money bigint minor units, as in SQLite.
    private static let version1 = """
        CREATE TABLE ledger_identity (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            id       integer NOT NULL CHECK (id > 0)
        );
        INSERT INTO ledger_identity (id) VALUES (1 + floor(random() * 2147483646)::integer);

        -- A till process's claim on its orders: see PostgresLink (the advisory lock on `id`).
        CREATE TABLE ledger_sessions (
            id         bigserial PRIMARY KEY,
            store_id   text NOT NULL,
            till       text NOT NULL,
            host       text NOT NULL,
            started_at bigint NOT NULL,
            ended_at   bigint
        );
        CREATE INDEX ledger_sessions_till ON ledger_sessions (store_id, till) WHERE ended_at IS NULL;

        CREATE TABLE orders (
            id               text PRIMARY KEY CHECK (length(id) BETWEEN 6 AND 32),
            store_id         text NOT NULL CHECK (length(store_id) > 0),
            till             text NOT NULL CHECK (length(till) > 0),
            provider         text NOT NULL,
            method           text NOT NULL CHECK (method IN ('scan', 'qr')),
            wallet           text NOT NULL CHECK (wallet IN ('wechat', 'alipay')),
            amount           bigint NOT NULL CHECK (amount > 0),
            currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
            subject          text NOT NULL,
            status           text NOT NULL
                             CHECK (status IN ('pending', 'paid', 'declined', 'cancelled', 'expired', 'unknown')),
            -- a masked code keeps 8 digits at most: nine in a row can only be a full code
            masked_code      text CHECK (masked_code !~ '[0-9]{9}'),
            gateway_trade_id text,
            status_reason    text,
            attention        text,
            owner            text,
            received         bigint CHECK (received IS NULL OR received >= 0),
            created_at       bigint NOT NULL,
            updated_at       bigint NOT NULL
        );
        -- A store's day and its history pages, newest first; open orders by status.
        CREATE INDEX orders_store_created ON orders (store_id, created_at, id);
        CREATE INDEX orders_status_created ON orders (status, created_at) WHERE status IN ('pending', 'unknown');

        CREATE TABLE refunds (
            id                text PRIMARY KEY,
            order_id          text NOT NULL REFERENCES orders (id),
            sequence          bigint NOT NULL CHECK (sequence > 0),
            amount            bigint NOT NULL CHECK (amount > 0),
            currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
            reason            text NOT NULL,
            status            text NOT NULL CHECK (status IN ('pending', 'refunded', 'failed', 'unknown')),
            gateway_refund_id text,
            status_reason     text,
            owner             text,
            origin            text NOT NULL DEFAULT 'till' CHECK (origin IN ('till', 'external')),
            created_at        bigint NOT NULL,
            updated_at        bigint NOT NULL,
            UNIQUE (order_id, sequence)
        );
        CREATE UNIQUE INDEX refunds_external ON refunds (order_id, gateway_refund_id) WHERE origin = 'external';
        CREATE INDEX refunds_order_status ON refunds (order_id, status, amount);
        CREATE INDEX refunds_created ON refunds (created_at);
        CREATE INDEX refunds_unresolved ON refunds (created_at) WHERE status IN ('pending', 'unknown');

        CREATE TABLE attempts (
            seq         bigserial PRIMARY KEY,
            id          text NOT NULL UNIQUE,
            order_id    text NOT NULL REFERENCES orders (id),
            operation   text NOT NULL
                        CHECK (operation IN ('pay', 'query', 'cancel', 'close', 'refund', 'create-qrcode')),
            refund_id   text REFERENCES refunds (id),
            started_at  bigint NOT NULL,
            finished_at bigint CHECK (finished_at IS NULL OR finished_at >= started_at),
            outcome     text NOT NULL
        );
        CREATE INDEX attempts_order ON attempts (order_id, started_at, seq);

        CREATE TABLE events (
            seq       bigserial PRIMARY KEY,
            order_id  text REFERENCES orders (id),
            refund_id text REFERENCES refunds (id),
            kind      text NOT NULL CHECK (length(kind) > 0),
            detail    text NOT NULL,
            at        bigint NOT NULL
        );
        CREATE INDEX events_order ON events (order_id, seq);

        CREATE TABLE day_closures (
            store_id        text NOT NULL,
            day             text NOT NULL CHECK (day ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'),
            time_zone       text NOT NULL CHECK (length(time_zone) > 0),
            starts_at       bigint NOT NULL,
            ends_at         bigint NOT NULL CHECK (ends_at > starts_at),
            closed_at       bigint NOT NULL,
            currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
            order_count     bigint NOT NULL CHECK (order_count >= 0),
            paid_count      bigint NOT NULL CHECK (paid_count >= 0),
            declined_count  bigint NOT NULL CHECK (declined_count >= 0),
            cancelled_count bigint NOT NULL CHECK (cancelled_count >= 0),
            expired_count   bigint NOT NULL CHECK (expired_count >= 0),
            refund_count    bigint NOT NULL CHECK (refund_count >= 0),
            paid            bigint NOT NULL CHECK (paid >= 0),
            refunded        bigint NOT NULL CHECK (refunded >= 0 AND refunded <= paid),
            received        bigint CHECK (received IS NULL OR received >= 0),
            PRIMARY KEY (store_id, day)
        );

        CREATE TABLE day_closure_wallets (
            store_id   text NOT NULL,
            day        text NOT NULL,
            wallet     text NOT NULL CHECK (wallet IN ('wechat', 'alipay')),
            paid_count bigint NOT NULL CHECK (paid_count >= 0),
            paid       bigint NOT NULL CHECK (paid >= 0),
            refunded   bigint NOT NULL CHECK (refunded >= 0 AND refunded <= paid),
            received   bigint CHECK (received IS NULL OR received >= 0),
            PRIMARY KEY (store_id, day, wallet),
            FOREIGN KEY (store_id, day) REFERENCES day_closures (store_id, day)
        );

        -- The rules the write methods keep, held by the server too (as SQLite's triggers do).
        CREATE FUNCTION ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
        END
        $$;
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse('the ledger event log is append-only');
        CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse('orders are never deleted from the ledger');
        CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse('refunds are never deleted from the ledger');
        CREATE TRIGGER orders_paid_stays_paid BEFORE UPDATE OF status ON orders
            FOR EACH ROW WHEN (OLD.status = 'paid' AND NEW.status <> 'paid')
            EXECUTE FUNCTION ledger_refuse('a paid order stays paid');
        CREATE TRIGGER orders_amount_fixed BEFORE UPDATE OF amount, currency ON orders
            FOR EACH ROW WHEN (OLD.amount <> NEW.amount OR OLD.currency <> NEW.currency)
            EXECUTE FUNCTION ledger_refuse('an order''s amount never changes');
        CREATE TRIGGER refunds_refunded_stays_refunded BEFORE UPDATE OF status ON refunds
            FOR EACH ROW WHEN (OLD.status = 'refunded' AND NEW.status <> 'refunded')
            EXECUTE FUNCTION ledger_refuse('a refunded refund stays refunded');
        CREATE TRIGGER refunds_external_fixed BEFORE UPDATE ON refunds
            FOR EACH ROW WHEN (OLD.origin = 'external')
            EXECUTE FUNCTION ledger_refuse('a refund made outside the till is never changed');
        CREATE TRIGGER day_closures_fixed BEFORE UPDATE OR DELETE ON day_closures
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse('a closed day is never changed');
        CREATE TRIGGER day_closure_wallets_fixed BEFORE UPDATE OR DELETE ON day_closure_wallets
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse('a closed day is never changed');
        CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON orders
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse('orders are never deleted from the ledger');
        CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse('the ledger event log is append-only');
        """

    /// Version 2: short pay links (SQLite's v8): a random token for a QR order's credential,
    /// one per order, never changed or deleted.
    private static let version2 = """
        CREATE TABLE pay_links (
            token      text PRIMARY KEY CHECK (length(token) >= 22),
            order_id   text NOT NULL UNIQUE REFERENCES orders (id),
            credential text NOT NULL CHECK (length(credential) > 0),
            created_at bigint NOT NULL,
            expires_at bigint NOT NULL CHECK (expires_at > created_at)
        );
        CREATE TRIGGER pay_links_fixed BEFORE UPDATE OR DELETE ON pay_links
            FOR EACH ROW EXECUTE FUNCTION ledger_refuse('a pay link never changes and is kept with its order');
        """

    /// Version 3: a Z report closes one till's day, so a closure names its till; one made
    /// before (till '') closed every till of its store's day. An index for a till's day.
    private static let version3 = """
        ALTER TABLE day_closures ADD COLUMN till text NOT NULL DEFAULT '';
        ALTER TABLE day_closure_wallets ADD COLUMN till text NOT NULL DEFAULT '';
        ALTER TABLE day_closure_wallets DROP CONSTRAINT day_closure_wallets_store_id_day_fkey;
        ALTER TABLE day_closure_wallets DROP CONSTRAINT day_closure_wallets_pkey;
        ALTER TABLE day_closures DROP CONSTRAINT day_closures_pkey;
        ALTER TABLE day_closures ADD PRIMARY KEY (store_id, day, till);
        ALTER TABLE day_closure_wallets ADD PRIMARY KEY (store_id, day, till, wallet);
        ALTER TABLE day_closure_wallets ADD FOREIGN KEY (store_id, day, till) REFERENCES day_closures (store_id, day, till);
        CREATE INDEX orders_store_till_created ON orders (store_id, till, created_at, id);
        """
}
