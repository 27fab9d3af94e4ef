import GRDB
import Ledger

extension SQLiteLedger {
    /// The schema, as named migrations applied in order. A migration, once shipped, never
    /// changes: the status lists below are written out rather than taken from the enums, so a
    /// new case needs a new migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: orders, refunds, attempts, events") { db in
            try db.execute(sql: schemaV1)
        }
        migrator.registerMigration("v2: day closures (Z reports)") { db in
            try db.execute(sql: schemaV2)
        }
        migrator.registerMigration("v3: owners, attention, notifications") { db in
            try db.execute(sql: schemaV3)
        }
        migrator.registerMigration("v4: indexes for day listings, reports and history pages") { db in
            try db.execute(sql: schemaV4)
            // An existing ledger gives the query planner its tables' shape at once. A new one
            // is left to `PRAGMA optimize` at close: statistics of empty tables would mislead.
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM orders)") ?? false {
                try db.execute(sql: "ANALYZE")
            }
        }
        migrator.registerMigration("v5: money received, per order and per closed day") { db in
            try db.execute(sql: schemaV5)
        }
        migrator.registerMigration("v6: refund owners") { db in
            try db.execute(sql: schemaV6)
        }
        migrator.registerMigration("v7: refunds made outside the till (external refunds)") { db in
            try db.execute(sql: schemaV7)
        }
        migrator.registerMigration("v8: short pay links to QR orders' credentials") { db in
            try db.execute(sql: schemaV8)
        }
        return migrator
    }

    // STRICT tables: SQLite refuses a value of the wrong type instead of storing it anyway.
    // Dates are INTEGER milliseconds since 1970, UTC.
    private static let schemaV1 = """
        CREATE TABLE orders (
            id               TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 6 AND 32),
            provider         TEXT NOT NULL,
            method           TEXT NOT NULL CHECK (method IN ('scan', 'qr')),
            wallet           TEXT NOT NULL CHECK (wallet IN ('wechat', 'alipay')),
            amount           INTEGER NOT NULL CHECK (amount > 0),
            currency         TEXT NOT NULL CHECK (length(currency) = 3 AND currency GLOB '[A-Z][A-Z][A-Z]'),
            subject          TEXT NOT NULL,
            status           TEXT NOT NULL
                             CHECK (status IN ('pending', 'paid', 'declined', 'cancelled', 'expired', 'unknown')),
            -- a masked code keeps 8 digits at most: nine in a row can only be a full code
            masked_code      TEXT CHECK (masked_code NOT GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'),
            gateway_trade_id TEXT,
            status_reason    TEXT,
            created_at       INTEGER NOT NULL,
            updated_at       INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX orders_created_at ON orders(created_at);
        CREATE INDEX orders_status ON orders(status);

        CREATE TABLE refunds (
            id                TEXT PRIMARY KEY NOT NULL,
            order_id          TEXT NOT NULL REFERENCES orders(id),
            sequence          INTEGER NOT NULL CHECK (sequence > 0),
            amount            INTEGER NOT NULL CHECK (amount > 0),
            currency          TEXT NOT NULL CHECK (length(currency) = 3 AND currency GLOB '[A-Z][A-Z][A-Z]'),
            reason            TEXT NOT NULL,
            status            TEXT NOT NULL CHECK (status IN ('pending', 'refunded', 'failed', 'unknown')),
            gateway_refund_id TEXT,
            status_reason     TEXT,
            created_at        INTEGER NOT NULL,
            updated_at        INTEGER NOT NULL,
            UNIQUE (order_id, sequence)
        ) STRICT;
        CREATE INDEX refunds_status ON refunds(status);
        CREATE INDEX refunds_created_at ON refunds(created_at);

        CREATE TABLE attempts (
            id          TEXT PRIMARY KEY NOT NULL,
            order_id    TEXT NOT NULL REFERENCES orders(id),
            operation   TEXT NOT NULL
                        CHECK (operation IN ('pay', 'query', 'cancel', 'close', 'refund', 'create-qrcode')),
            refund_id   TEXT REFERENCES refunds(id),
            started_at  INTEGER NOT NULL,
            finished_at INTEGER CHECK (finished_at IS NULL OR finished_at >= started_at),
            outcome     TEXT NOT NULL
        ) STRICT;
        CREATE INDEX attempts_order ON attempts(order_id, started_at);

        CREATE TABLE events (
            seq       INTEGER PRIMARY KEY AUTOINCREMENT,
            order_id  TEXT REFERENCES orders(id),
            refund_id TEXT REFERENCES refunds(id),
            kind      TEXT NOT NULL CHECK (length(kind) > 0),
            detail    TEXT NOT NULL,
            at        INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX events_order ON events(order_id, seq);
        CREATE INDEX events_at ON events(at);

        -- The book of record: the event log is append-only; orders and refunds are never deleted.
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the ledger event log is append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the ledger event log is append-only'); END;
        CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
        BEGIN SELECT RAISE(ABORT, 'orders are never deleted from the ledger'); END;
        CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
        BEGIN SELECT RAISE(ABORT, 'refunds are never deleted from the ledger'); END;

        -- The same rules the write methods keep, held by SQLite too.
        CREATE TRIGGER orders_paid_stays_paid BEFORE UPDATE OF status ON orders
        WHEN OLD.status = 'paid' AND NEW.status <> 'paid'
        BEGIN SELECT RAISE(ABORT, 'a paid order stays paid'); END;
        CREATE TRIGGER orders_amount_fixed BEFORE UPDATE OF amount, currency ON orders
        WHEN OLD.amount <> NEW.amount OR OLD.currency <> NEW.currency
        BEGIN SELECT RAISE(ABORT, 'an order''s amount never changes'); END;
        CREATE TRIGGER refunds_refunded_stays_refunded BEFORE UPDATE OF status ON refunds
        WHEN OLD.status = 'refunded' AND NEW.status <> 'refunded'
        BEGIN SELECT RAISE(ABORT, 'a refunded refund stays refunded'); END;
        """

    // A closed day (Z report) is written once and never changed: a second Z for the same
    // day is refused by the primary key, and triggers refuse updates and deletes.
    private static let schemaV2 = """
        CREATE TABLE day_closures (
            day             TEXT PRIMARY KEY NOT NULL
                            CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            time_zone       TEXT NOT NULL CHECK (length(time_zone) > 0),
            starts_at       INTEGER NOT NULL,
            ends_at         INTEGER NOT NULL CHECK (ends_at > starts_at),
            closed_at       INTEGER NOT NULL,
            currency        TEXT NOT NULL CHECK (length(currency) = 3 AND currency GLOB '[A-Z][A-Z][A-Z]'),
            order_count     INTEGER NOT NULL CHECK (order_count >= 0),
            paid_count      INTEGER NOT NULL CHECK (paid_count >= 0),
            declined_count  INTEGER NOT NULL CHECK (declined_count >= 0),
            cancelled_count INTEGER NOT NULL CHECK (cancelled_count >= 0),
            expired_count   INTEGER NOT NULL CHECK (expired_count >= 0),
            refund_count    INTEGER NOT NULL CHECK (refund_count >= 0),
            paid            INTEGER NOT NULL CHECK (paid >= 0),
            refunded        INTEGER NOT NULL CHECK (refunded >= 0 AND refunded <= paid)
        ) STRICT;

        CREATE TABLE day_closure_wallets (
            day        TEXT NOT NULL REFERENCES day_closures(day),
            wallet     TEXT NOT NULL CHECK (wallet IN ('wechat', 'alipay')),
            paid_count INTEGER NOT NULL CHECK (paid_count >= 0),
            paid       INTEGER NOT NULL CHECK (paid >= 0),
            refunded   INTEGER NOT NULL CHECK (refunded >= 0 AND refunded <= paid),
            PRIMARY KEY (day, wallet)
        ) STRICT;

        CREATE TRIGGER day_closures_no_update BEFORE UPDATE ON day_closures
        BEGIN SELECT RAISE(ABORT, 'a closed day is never changed'); END;
        CREATE TRIGGER day_closures_no_delete BEFORE DELETE ON day_closures
        BEGIN SELECT RAISE(ABORT, 'a closed day is never changed'); END;
        CREATE TRIGGER day_closure_wallets_no_update BEFORE UPDATE ON day_closure_wallets
        BEGIN SELECT RAISE(ABORT, 'a closed day is never changed'); END;
        CREATE TRIGGER day_closure_wallets_no_delete BEFORE DELETE ON day_closure_wallets
        BEGIN SELECT RAISE(ABORT, 'a closed day is never changed'); END;
        """

    // `owner`: the lease of the process that runs an open order (see `OwnerLease`).
    // `attention`: what a person must look at whatever the status says (paid after close).
    private static let schemaV3 = """
        ALTER TABLE orders ADD COLUMN owner TEXT;
        ALTER TABLE orders ADD COLUMN attention TEXT;
        CREATE INDEX orders_attention ON orders(created_at) WHERE attention IS NOT NULL;
        """

    // Each index fits listed queries (`Ledger.plannedQueries`, checked by a test):
    // - orders_created_id: a day's orders and the history, newest first, paged by
    //   (created_at, id); it replaces orders_created_at, its prefix. It carries what a search
    //   matches (masked code, trade id, amount), so a search walks the index alone and reads
    //   an order's row only when it matches.
    // - orders_status_created: open orders, and a day's paid orders by wallet (status first,
    //   then the day's range); it replaces orders_status, its prefix.
    // - refunds_order_status: an order's refunded and committed sums, without the table.
    // - refunds_status_created: refunds in doubt made in a day (Z report), oldest first;
    //   it replaces refunds_status, its prefix.
    private static let schemaV4 = """
        CREATE INDEX orders_created_id ON orders(created_at, id, masked_code, gateway_trade_id, amount, currency);
        DROP INDEX orders_created_at;
        CREATE INDEX orders_status_created ON orders(status, created_at);
        DROP INDEX orders_status;
        CREATE INDEX refunds_order_status ON refunds(order_id, status, amount);
        CREATE INDEX refunds_status_created ON refunds(status, created_at);
        DROP INDEX refunds_status;
        """

    // `received`: the money the gateway says came in, in minor units of the row's currency
    // (CloudPay's `realprice` may differ from the price). Rows written before stay NULL, read
    // as the amount for a paid order (a closed day's as its paid total): a closed day is never
    // updated, and a year of orders is not rewritten at the first start.
    private static let schemaV5 = """
        ALTER TABLE orders ADD COLUMN received INTEGER CHECK (received IS NULL OR received >= 0);
        ALTER TABLE day_closures ADD COLUMN received INTEGER CHECK (received IS NULL OR received >= 0);
        ALTER TABLE day_closure_wallets ADD COLUMN received INTEGER CHECK (received IS NULL OR received >= 0);
        """

    // `owner`: the lease of the process sending a refund now, as `orders.owner` is of the
    // process running an order, so two processes never retry one refund at once.
    private static let schemaV6 = """
        ALTER TABLE refunds ADD COLUMN owner TEXT;
        """

    // `origin`: `till` for a refund the till asked for, `external` for one the gateway reported
    // that the till never asked for (its back office). An external refund is recorded once per
    // gateway refund id, refunded, and never changed.
    private static let schemaV7 = """
        ALTER TABLE refunds ADD COLUMN origin TEXT NOT NULL DEFAULT 'till' CHECK (origin IN ('till', 'external'));
        CREATE UNIQUE INDEX refunds_external ON refunds(order_id, gateway_refund_id) WHERE origin = 'external';
        CREATE TRIGGER refunds_external_fixed BEFORE UPDATE ON refunds
        WHEN OLD.origin = 'external'
        BEGIN SELECT RAISE(ABORT, 'a refund made outside the till is never changed'); END;
        """

    // A short link the till shows instead of a credential too long to draw (or an HTML form):
    // `token` is random, never derived from the order; the link works while its order is
    // pending and before `expires_at`. One per order. Kept with the order, never deleted.
    private static let schemaV8 = """
        CREATE TABLE pay_links (
            token      TEXT PRIMARY KEY NOT NULL CHECK (length(token) >= 22),
            order_id   TEXT NOT NULL UNIQUE REFERENCES orders(id),
            credential TEXT NOT NULL CHECK (length(credential) > 0),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL CHECK (expires_at > created_at)
        ) STRICT;
        CREATE TRIGGER pay_links_no_delete BEFORE DELETE ON pay_links
        BEGIN SELECT RAISE(ABORT, 'pay links are kept with their orders'); END;
        CREATE TRIGGER pay_links_no_update BEFORE UPDATE ON pay_links
        BEGIN SELECT RAISE(ABORT, 'a pay link never changes'); END;
        """
}
