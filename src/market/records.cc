#include "market/records.h"

#include <array>

namespace greenloop::market {
namespace {

template <typename E, size_t N>
std::optional<E> ParseName(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 4> kStates = {"pre_open", "open", "halted", "closed"};
constexpr std::array<std::string_view, 4> kStatuses = {"open", "filled", "cancelled", "expired"};
constexpr std::array<std::string_view, 6> kEnds = {"none", "filled", "cancelled", "self_trade", "expired",
                                                   "account_stopped"};
constexpr std::array<std::string_view, 3> kKinds = {"submit", "cancel", "replace"};
constexpr std::array<std::string_view, 2> kSides = {"buy", "sell"};
constexpr std::array<std::string_view, 5> kBlockStatuses = {"proposed", "accepted", "rejected", "withdrawn", "expired"};
constexpr std::array<std::string_view, 2> kPurposes = {"paid_allocation", "reserve_sale"};
constexpr std::array<std::string_view, 3> kAuctionStatuses = {"open", "cleared", "cancelled"};
constexpr std::array<std::string_view, 4> kBidStatuses = {"live", "withdrawn", "won", "lost"};
constexpr std::array<std::string_view, 2> kPricings = {"uniform", "pay_as_bid"};

}  // namespace

std::string_view ToString(MarketState v) { return kStates.at(static_cast<size_t>(v)); }
std::string_view ToString(OrderStatus v) { return kStatuses.at(static_cast<size_t>(v)); }
std::string_view ToString(OrderEnd v) { return kEnds.at(static_cast<size_t>(v)); }
std::string_view ToString(CommandKind v) { return kKinds.at(static_cast<size_t>(v)); }
std::string_view ToString(Side v) { return kSides.at(static_cast<size_t>(v)); }
std::optional<MarketState> ParseMarketState(std::string_view s) { return ParseName<MarketState>(kStates, s); }
std::optional<OrderStatus> ParseOrderStatus(std::string_view s) { return ParseName<OrderStatus>(kStatuses, s); }
std::optional<OrderEnd> ParseOrderEnd(std::string_view s) { return ParseName<OrderEnd>(kEnds, s); }
std::optional<CommandKind> ParseCommandKind(std::string_view s) { return ParseName<CommandKind>(kKinds, s); }
std::optional<Side> ParseSide(std::string_view s) { return ParseName<Side>(kSides, s); }
std::string_view ToString(BlockStatus v) { return kBlockStatuses.at(static_cast<size_t>(v)); }
std::string_view ToString(AuctionPurpose v) { return kPurposes.at(static_cast<size_t>(v)); }
std::string_view ToString(AuctionStatus v) { return kAuctionStatuses.at(static_cast<size_t>(v)); }
std::string_view ToString(BidStatus v) { return kBidStatuses.at(static_cast<size_t>(v)); }
std::string_view ToString(AuctionPricing v) { return kPricings.at(static_cast<size_t>(v)); }
std::optional<BlockStatus> ParseBlockStatus(std::string_view s) { return ParseName<BlockStatus>(kBlockStatuses, s); }
std::optional<AuctionPurpose> ParseAuctionPurpose(std::string_view s) {
  return ParseName<AuctionPurpose>(kPurposes, s);
}
std::optional<AuctionStatus> ParseAuctionStatus(std::string_view s) {
  return ParseName<AuctionStatus>(kAuctionStatuses, s);
}
std::optional<BidStatus> ParseBidStatus(std::string_view s) { return ParseName<BidStatus>(kBidStatuses, s); }
std::optional<AuctionPricing> ParseAuctionPricing(std::string_view s) {
  return ParseName<AuctionPricing>(kPricings, s);
}

}  // namespace greenloop::market
