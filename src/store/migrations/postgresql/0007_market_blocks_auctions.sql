-- GreenLoop exchange schema, version 7 (PostgreSQL; same tables and meaning as the SQLite
-- migration of the same number): block agreement trading, auctions and holding
-- limits (the structs BlockProposal, AuctionRecord, BidRecord and HoldingLimit of src/market/records.h). Units as in version 6.

-- One row per block agreement proposal (大宗协议): upserted as it is answered, withdrawn or
-- expires. While proposed, `reserved` of `reserved_instrument` stays frozen in the proposer's
-- account; counterparty_account_id is 0 until accepted, trade_id 0 unless accepted.
CREATE TABLE market_blocks (
  id BIGINT PRIMARY KEY,
  instrument TEXT NOT NULL REFERENCES market_listings(instrument),
  trading_day TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  proposer_account_id BIGINT NOT NULL REFERENCES accounts(id),
  proposer_org_id BIGINT NOT NULL REFERENCES organizations(id),
  proposer_user_id BIGINT NOT NULL,
  counterparty_org_id BIGINT NOT NULL REFERENCES organizations(id),
  counterparty_account_id BIGINT NOT NULL,
  responder_user_id BIGINT NOT NULL,
  price_fen BIGINT NOT NULL CHECK (price_fen > 0),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  reserved_instrument TEXT NOT NULL,
  reserved BIGINT NOT NULL CHECK (reserved >= 0),
  expires_at_us BIGINT NOT NULL,  -- 0: when the trading day closes
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'withdrawn', 'expired')),
  trade_id BIGINT NOT NULL,
  memo TEXT NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  CHECK ((status = 'proposed') = (reserved > 0)),
  CHECK (proposer_org_id <> counterparty_org_id)
);
CREATE INDEX market_blocks_proposer ON market_blocks(proposer_org_id, id);
CREATE INDEX market_blocks_counterparty ON market_blocks(counterparty_org_id, id);
CREATE INDEX market_blocks_open ON market_blocks(id) WHERE status = 'proposed';

-- One row per auction (单向竞价) with its announced rules and, once cleared, its result.
-- While open, `reserved` (the supply) stays frozen in the seller account.
CREATE TABLE market_auctions (
  id BIGINT PRIMARY KEY,
  title TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('paid_allocation', 'reserve_sale')),
  instrument TEXT NOT NULL REFERENCES instruments(code),
  seller_account_id BIGINT NOT NULL REFERENCES accounts(id),
  seller_org_id BIGINT NOT NULL REFERENCES organizations(id),
  created_by BIGINT NOT NULL,
  supply BIGINT NOT NULL CHECK (supply > 0),
  reserve_price_fen BIGINT NOT NULL CHECK (reserve_price_fen > 0),
  tick_fen BIGINT NOT NULL CHECK (tick_fen > 0),
  lot BIGINT NOT NULL CHECK (lot > 0),
  min_bid_quantity BIGINT NOT NULL CHECK (min_bid_quantity >= 0),
  max_bid_quantity BIGINT NOT NULL CHECK (max_bid_quantity >= 0),
  opens_at_us BIGINT NOT NULL,
  closes_at_us BIGINT NOT NULL,
  pricing TEXT NOT NULL CHECK (pricing IN ('uniform', 'pay_as_bid')),
  status TEXT NOT NULL CHECK (status IN ('open', 'cleared', 'cancelled')),
  reserved BIGINT NOT NULL CHECK (reserved >= 0),
  next_sequence BIGINT NOT NULL CHECK (next_sequence > 0),
  bid_count BIGINT NOT NULL CHECK (bid_count >= 0),
  clearing_price_fen BIGINT NOT NULL CHECK (clearing_price_fen >= 0),
  sold_quantity BIGINT NOT NULL CHECK (sold_quantity >= 0),
  unsold_quantity BIGINT NOT NULL CHECK (unsold_quantity >= 0),
  total_amount_fen BIGINT NOT NULL CHECK (total_amount_fen >= 0),
  winner_count BIGINT NOT NULL CHECK (winner_count >= 0),
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  cleared_at_us BIGINT NOT NULL,
  CHECK (closes_at_us > opens_at_us),
  CHECK (status <> 'cleared' OR sold_quantity + unsold_quantity = supply),
  CHECK ((status = 'open') = (reserved = supply))
);
CREATE INDEX market_auctions_open ON market_auctions(id) WHERE status = 'open';

-- One row per organization and auction: its bid (one live bid per organization), and after
-- clearing its award. While live, reserved_fen = price_fen * quantity stays frozen in CNY.
CREATE TABLE market_bids (
  auction_id BIGINT NOT NULL REFERENCES market_auctions(id),
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  user_id BIGINT NOT NULL,
  price_fen BIGINT NOT NULL CHECK (price_fen > 0),
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  sequence BIGINT NOT NULL CHECK (sequence > 0),
  reserved_fen BIGINT NOT NULL CHECK (reserved_fen >= 0),
  status TEXT NOT NULL CHECK (status IN ('live', 'withdrawn', 'won', 'lost')),
  awarded_quantity BIGINT NOT NULL CHECK (awarded_quantity >= 0 AND awarded_quantity <= quantity),
  price_paid_fen BIGINT NOT NULL CHECK (price_paid_fen >= 0),
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
  at_margin BIGINT NOT NULL CHECK (at_margin IN (0, 1)),
  trade_id BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  PRIMARY KEY (auction_id, org_id),
  CHECK ((status = 'live') = (reserved_fen > 0))
);
CREATE INDEX market_bids_org ON market_bids(org_id, auction_id);

-- Maximum holdings (最大持仓量) per instrument: for one holding account, or (account_id 0) for
-- every holding account without its own. Checked when a purchase is entered.
CREATE TABLE market_holding_limits (
  instrument TEXT NOT NULL REFERENCES instruments(code),
  account_id BIGINT NOT NULL,
  max_quantity BIGINT NOT NULL CHECK (max_quantity > 0),
  set_by BIGINT NOT NULL,
  set_at_us BIGINT NOT NULL,
  PRIMARY KEY (instrument, account_id)
);

-- Block and auction trades name their proposal or auction here (0 for listing trades, which
-- name their orders).
ALTER TABLE market_trades ADD COLUMN ref_id BIGINT NOT NULL DEFAULT 0;
