-- GreenLoop exchange schema, version 6 (SQLite): what the exchange keeps durably (the structs of
-- src/market/records.h). Prices and fees are integers in fen, quantities in the instrument's
-- smallest unit, times microseconds since the Unix epoch (UTC), trading days 'YYYY-MM-DD'.
-- Enumerations are stored by the names of src/market/records.cc.

-- One row per listed instrument: its market state and current (or last) trading day with the
-- day's price band. Upserted whenever the state or the day changes.
CREATE TABLE market_listings (
  instrument TEXT PRIMARY KEY REFERENCES instruments(code),
  family TEXT NOT NULL,
  fee_bps INTEGER NOT NULL CHECK (fee_bps >= 0),
  state TEXT NOT NULL CHECK (state IN ('pre_open', 'open', 'halted', 'closed')),
  trading_day TEXT NOT NULL,  -- '' before the first day
  prev_close_fen INTEGER NOT NULL CHECK (prev_close_fen >= 0),
  band_low_fen INTEGER NOT NULL CHECK (band_low_fen >= 0),
  band_high_fen INTEGER NOT NULL,
  listed_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  CHECK (band_low_fen <= band_high_fen)
) STRICT;

-- One row per trading day of a listing: the reference price and band it opened with, and the
-- close it ended with (0 while it is open). With the day's trades it gives the day's bar.
CREATE TABLE market_days (
  instrument TEXT NOT NULL REFERENCES market_listings(instrument),
  trading_day TEXT NOT NULL,
  prev_close_fen INTEGER NOT NULL CHECK (prev_close_fen > 0),
  band_low_fen INTEGER NOT NULL CHECK (band_low_fen > 0),
  band_high_fen INTEGER NOT NULL,
  close_fen INTEGER NOT NULL CHECK (close_fen >= 0),
  opened_at_us INTEGER NOT NULL,
  closed_at_us INTEGER NOT NULL,
  PRIMARY KEY (instrument, trading_day),
  CHECK (band_low_fen <= band_high_fen)
) STRICT;

-- The command log of each day's order book, appended in the order the book saw the commands.
-- After a restart the exchange replays the current day's commands (by id) to rebuild the book
-- exactly, so a row is never changed. Prices and quantities carry no sign checks: the log keeps
-- each command as the book received it (a cancel has neither), and the book's own checks decide.
CREATE TABLE market_commands (
  id INTEGER PRIMARY KEY,
  instrument TEXT NOT NULL REFERENCES market_listings(instrument),
  trading_day TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('submit', 'cancel', 'replace')),
  book_order_id INTEGER NOT NULL,
  owner_id INTEGER NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  price_fen INTEGER NOT NULL,
  quantity INTEGER NOT NULL,
  at_us INTEGER NOT NULL
) STRICT;
-- The replay reads one instrument's day in id order.
CREATE INDEX market_commands_day ON market_commands(instrument, trading_day, id);

-- Orders with what is still open and still frozen for them; upserted as they fill or end.
-- book_order_id is the id the day's book assigned, unique within that book. An order is open
-- exactly when it has no end reason, and a closed order has nothing left to trade.
CREATE TABLE market_orders (
  id INTEGER PRIMARY KEY,
  instrument TEXT NOT NULL REFERENCES market_listings(instrument),
  trading_day TEXT NOT NULL,
  book_order_id INTEGER NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  user_id INTEGER NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  price_fen INTEGER NOT NULL CHECK (price_fen > 0),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  open_quantity INTEGER NOT NULL CHECK (open_quantity >= 0),
  filled_quantity INTEGER NOT NULL CHECK (filled_quantity >= 0),
  reserved_instrument TEXT NOT NULL,
  reserved INTEGER NOT NULL CHECK (reserved >= 0),
  status TEXT NOT NULL CHECK (status IN ('open', 'filled', 'cancelled', 'expired')),
  end_reason TEXT NOT NULL
    CHECK (end_reason IN ('none', 'filled', 'cancelled', 'self_trade', 'expired', 'account_stopped')),
  client_order_id TEXT NOT NULL,  -- '' when the client gave none
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  UNIQUE (instrument, trading_day, book_order_id),
  CHECK ((status = 'open') = (end_reason = 'none')),
  CHECK (status = 'open' OR open_quantity = 0)
) STRICT;
-- An organization's or an account's orders, newest first.
CREATE INDEX market_orders_org ON market_orders(org_id, id);
CREATE INDEX market_orders_account ON market_orders(account_id, id);
-- An instrument's orders by status (its open orders: the book's depth), newest first.
CREATE INDEX market_orders_instrument ON market_orders(instrument, status, id);
-- The open orders of every instrument, read at start, without scanning the whole history.
CREATE INDEX market_orders_open ON market_orders(id) WHERE status = 'open';

-- Trades, appended once settled; entry_id is the journal entry that settled the trade.
CREATE TABLE market_trades (
  id INTEGER PRIMARY KEY,
  instrument TEXT NOT NULL REFERENCES market_listings(instrument),
  trading_day TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('listing', 'block', 'auction')),
  buy_order_id INTEGER NOT NULL,
  sell_order_id INTEGER NOT NULL,
  buy_account_id INTEGER NOT NULL REFERENCES accounts(id),
  sell_account_id INTEGER NOT NULL REFERENCES accounts(id),
  buy_org_id INTEGER NOT NULL REFERENCES organizations(id),
  sell_org_id INTEGER NOT NULL REFERENCES organizations(id),
  aggressor TEXT NOT NULL CHECK (aggressor IN ('buy', 'sell')),
  price_fen INTEGER NOT NULL CHECK (price_fen > 0),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  buyer_fee_fen INTEGER NOT NULL CHECK (buyer_fee_fen >= 0),
  seller_fee_fen INTEGER NOT NULL CHECK (seller_fee_fen >= 0),
  entry_id INTEGER NOT NULL,
  at_us INTEGER NOT NULL
) STRICT;
-- A day's trades in time order (market data), and an instrument's trades newest first.
CREATE INDEX market_trades_day ON market_trades(instrument, trading_day, id);
-- An organization's trades on either side, newest first.
CREATE INDEX market_trades_buy_org ON market_trades(buy_org_id, id);
CREATE INDEX market_trades_sell_org ON market_trades(sell_org_id, id);
