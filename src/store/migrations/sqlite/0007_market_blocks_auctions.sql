-- GreenLoop exchange schema, version 7 (SQLite): block agreement trading, auctions and holding
-- limits (the structs BlockProposal, AuctionRecord, BidRecord and HoldingLimit of src/market/records.h). Units as in
-- version 6: fen, the instrument's smallest unit, microseconds since the Unix epoch (UTC).

-- One row per block agreement proposal (大宗协议): upserted as it is answered, withdrawn or
-- expires. While proposed, `reserved` of `reserved_instrument` stays frozen in the proposer's
-- account; counterparty_account_id is 0 until accepted, trade_id 0 unless accepted.
CREATE TABLE market_blocks (
  id INTEGER PRIMARY KEY,
  instrument TEXT NOT NULL REFERENCES market_listings(instrument),
  trading_day TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  proposer_account_id INTEGER NOT NULL REFERENCES accounts(id),
  proposer_org_id INTEGER NOT NULL REFERENCES organizations(id),
  proposer_user_id INTEGER NOT NULL,
  counterparty_org_id INTEGER NOT NULL REFERENCES organizations(id),
  counterparty_account_id INTEGER NOT NULL,
  responder_user_id INTEGER NOT NULL,
  price_fen INTEGER NOT NULL CHECK (price_fen > 0),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  reserved_instrument TEXT NOT NULL,
  reserved INTEGER NOT NULL CHECK (reserved >= 0),
  expires_at_us INTEGER NOT NULL,  -- 0: when the trading day closes
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'withdrawn', 'expired')),
  trade_id INTEGER NOT NULL,
  memo TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  CHECK ((status = 'proposed') = (reserved > 0)),
  CHECK (proposer_org_id <> counterparty_org_id)
) STRICT;
CREATE INDEX market_blocks_proposer ON market_blocks(proposer_org_id, id);
CREATE INDEX market_blocks_counterparty ON market_blocks(counterparty_org_id, id);
CREATE INDEX market_blocks_open ON market_blocks(id) WHERE status = 'proposed';

-- One row per auction (单向竞价) with its announced rules and, once cleared, its result.
-- While open, `reserved` (the supply) stays frozen in the seller account.
CREATE TABLE market_auctions (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('paid_allocation', 'reserve_sale')),
  instrument TEXT NOT NULL REFERENCES instruments(code),
  seller_account_id INTEGER NOT NULL REFERENCES accounts(id),
  seller_org_id INTEGER NOT NULL REFERENCES organizations(id),
  created_by INTEGER NOT NULL,
  supply INTEGER NOT NULL CHECK (supply > 0),
  reserve_price_fen INTEGER NOT NULL CHECK (reserve_price_fen > 0),
  tick_fen INTEGER NOT NULL CHECK (tick_fen > 0),
  lot INTEGER NOT NULL CHECK (lot > 0),
  min_bid_quantity INTEGER NOT NULL CHECK (min_bid_quantity >= 0),
  max_bid_quantity INTEGER NOT NULL CHECK (max_bid_quantity >= 0),
  opens_at_us INTEGER NOT NULL,
  closes_at_us INTEGER NOT NULL,
  pricing TEXT NOT NULL CHECK (pricing IN ('uniform', 'pay_as_bid')),
  status TEXT NOT NULL CHECK (status IN ('open', 'cleared', 'cancelled')),
  reserved INTEGER NOT NULL CHECK (reserved >= 0),
  next_sequence INTEGER NOT NULL CHECK (next_sequence > 0),
  bid_count INTEGER NOT NULL CHECK (bid_count >= 0),
  clearing_price_fen INTEGER NOT NULL CHECK (clearing_price_fen >= 0),
  sold_quantity INTEGER NOT NULL CHECK (sold_quantity >= 0),
  unsold_quantity INTEGER NOT NULL CHECK (unsold_quantity >= 0),
  total_amount_fen INTEGER NOT NULL CHECK (total_amount_fen >= 0),
  winner_count INTEGER NOT NULL CHECK (winner_count >= 0),
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  cleared_at_us INTEGER NOT NULL,
  CHECK (closes_at_us > opens_at_us),
  CHECK (status <> 'cleared' OR sold_quantity + unsold_quantity = supply),
  CHECK ((status = 'open') = (reserved = supply))
) STRICT;
CREATE INDEX market_auctions_open ON market_auctions(id) WHERE status = 'open';

-- One row per organization and auction: its bid (one live bid per organization), and after
-- clearing its award. While live, reserved_fen = price_fen * quantity stays frozen in CNY.
CREATE TABLE market_bids (
  auction_id INTEGER NOT NULL REFERENCES market_auctions(id),
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  user_id INTEGER NOT NULL,
  price_fen INTEGER NOT NULL CHECK (price_fen > 0),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  reserved_fen INTEGER NOT NULL CHECK (reserved_fen >= 0),
  status TEXT NOT NULL CHECK (status IN ('live', 'withdrawn', 'won', 'lost')),
  awarded_quantity INTEGER NOT NULL CHECK (awarded_quantity >= 0 AND awarded_quantity <= quantity),
  price_paid_fen INTEGER NOT NULL CHECK (price_paid_fen >= 0),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  at_margin INTEGER NOT NULL CHECK (at_margin IN (0, 1)),
  trade_id INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  PRIMARY KEY (auction_id, org_id),
  CHECK ((status = 'live') = (reserved_fen > 0))
) STRICT;
CREATE INDEX market_bids_org ON market_bids(org_id, auction_id);

-- Maximum holdings (最大持仓量) per instrument: for one holding account, or (account_id 0) for
-- every holding account without its own. Checked when a purchase is entered.
CREATE TABLE market_holding_limits (
  instrument TEXT NOT NULL REFERENCES instruments(code),
  account_id INTEGER NOT NULL,
  max_quantity INTEGER NOT NULL CHECK (max_quantity > 0),
  set_by INTEGER NOT NULL,
  set_at_us INTEGER NOT NULL,
  PRIMARY KEY (instrument, account_id)
) STRICT;

-- Block and auction trades name their proposal or auction here (0 for listing trades, which
-- name their orders).
ALTER TABLE market_trades ADD COLUMN ref_id INTEGER NOT NULL DEFAULT 0;
